import { createHash } from 'node:crypto';
import { invalid, parseFunctionRef } from '../../common/index.js';
import type { ConfigPatch, FunctionRegistry, StoredFunction } from '../../control/index.js';

/**
 * A stored function or version as Lambda's `FunctionConfiguration` JSON. `arnQualifier`
 * qualifies FunctionArn: the version, or the alias or qualifier the caller named.
 */
export function toConfiguration(fn: StoredFunction, registry: FunctionRegistry, version = '$LATEST', arnQualifier?: string) {
  return {
    FunctionName: fn.name,
    FunctionArn: registry.arn(fn.name, arnQualifier),
    Runtime: fn.runtime,
    Role: fn.role,
    Handler: fn.handler,
    CodeSize: fn.codeSize,
    Description: fn.description,
    Timeout: fn.timeoutS,
    MemorySize: fn.memoryMb,
    LastModified: fn.lastModified,
    // Lambda reports the package digest base64-encoded.
    CodeSha256: Buffer.from(fn.codeSha256, 'hex').toString('base64'),
    Version: version,
    Environment: { Variables: fn.env },
    ...(fn.layers?.length ? { Layers: fn.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) } : {}),
    ...(fn.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: fn.deadLetterTargetArn } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: fn.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [hostArchitecture()],
    EphemeralStorage: { Size: fn.ephemeralStorageMb },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

export function hostArchitecture(): 'x86_64' | 'arm64' {
  return process.arch === 'arm64' ? 'arm64' : 'x86_64';
}

/** Fields of CreateFunction / UpdateFunctionConfiguration that Hearth reads. */
export interface ConfigBody {
  Runtime?: string;
  Role?: string;
  Handler?: string;
  Description?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables?: Record<string, string> };
  EphemeralStorage?: { Size?: number };
  Layers?: string[];
  VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[] };
  DeadLetterConfig?: { TargetArn?: string };
  KMSKeyArn?: string;
  TracingConfig?: { Mode?: string };
  FileSystemConfigs?: unknown[];
  ImageConfig?: unknown;
  SnapStart?: { ApplyOn?: string };
  LoggingConfig?: { LogFormat?: string };
  Architectures?: string[];
  PackageType?: string;
  CodeSigningConfigArn?: string;
  /** Hearth extension (`hearth config --max-concurrent-requests`): AWS SDKs never send it. */
  MaxConcurrentRequests?: number;
}

/**
 * Settings Hearth cannot honour yet are refused, never silently ignored: a setting that
 * is accepted must take effect.
 */
export function rejectUnsupported(b: ConfigBody): void {
  const refuse = (what: string) => {
    throw invalid(`${what} is not supported by Hearth yet.`);
  };
  if (b.VpcConfig?.SubnetIds?.length || b.VpcConfig?.SecurityGroupIds?.length) refuse('VpcConfig');
  if (b.KMSKeyArn) refuse('KMSKeyArn');
  if (b.TracingConfig?.Mode && b.TracingConfig.Mode !== 'PassThrough') refuse(`TracingConfig Mode ${b.TracingConfig.Mode}`);
  if (b.FileSystemConfigs?.length) refuse('FileSystemConfigs');
  if (b.ImageConfig) refuse('ImageConfig');
  if (b.SnapStart?.ApplyOn && b.SnapStart.ApplyOn !== 'None') refuse('SnapStart');
  if (b.LoggingConfig?.LogFormat && b.LoggingConfig.LogFormat !== 'Text') refuse(`LoggingConfig LogFormat ${b.LoggingConfig.LogFormat}`);
  if (b.PackageType && b.PackageType !== 'Zip') refuse(`PackageType ${b.PackageType}`);
  if (b.CodeSigningConfigArn) refuse('CodeSigningConfigArn');
  if (b.Architectures && (b.Architectures.length !== 1 || b.Architectures[0] !== hostArchitecture())) {
    throw invalid(`Architectures must be ["${hostArchitecture()}"] on this node.`);
  }
}

export function toPatch(b: ConfigBody): ConfigPatch {
  return {
    runtime: b.Runtime,
    handler: b.Handler,
    role: b.Role,
    description: b.Description,
    timeoutS: b.Timeout,
    memoryMb: b.MemorySize,
    ephemeralStorageMb: b.EphemeralStorage?.Size,
    env: b.Environment ? (b.Environment.Variables ?? {}) : undefined,
    layers: b.Layers,
    maxConcurrentRequests: b.MaxConcurrentRequests,
    deadLetterTargetArn: b.DeadLetterConfig ? (b.DeadLetterConfig.TargetArn ?? '') : undefined,
  };
}

/** Decodes the base64 `ZipFile` member. */
export function decodeZip(zipFile: unknown, s3?: unknown, member = 'Code.ZipFile'): Buffer {
  if (s3) throw invalid('Code from S3 (S3Bucket/S3Key) is not supported by Hearth yet; upload ZipFile.');
  if (typeof zipFile !== 'string' || zipFile.length === 0) throw invalid(`${member} is required (a base64-encoded zip).`);
  return Buffer.from(zipFile, 'base64');
}

export const sha256Base64 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

/** The function an update names: only $LATEST changes, published versions are immutable. */
export function latestOnly(ref: string): string {
  const { name, qualifier } = parseFunctionRef(ref);
  if (qualifier !== undefined && qualifier !== '$LATEST') {
    throw invalid(`Only $LATEST can be updated: ${qualifier} is a published version or an alias. Update $LATEST and publish a new version.`);
  }
  return name;
}
