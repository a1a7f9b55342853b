import type { StoredAlias } from '../../control/index.js';
import type { LambdaApiDeps } from './deps.js';

/** A stored alias as Lambda's `AliasConfiguration` JSON. */
export function toAliasConfiguration(a: StoredAlias, d: LambdaApiDeps) {
  return {
    AliasArn: d.aliases.arn(a.functionName, a.name),
    Name: a.name,
    FunctionVersion: a.functionVersion,
    Description: a.description,
    ...(Object.keys(a.weights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: a.weights } } : {}),
    RevisionId: a.revisionId,
  };
}

/** The members of CreateAlias and UpdateAlias that Hearth reads. */
export interface AliasBody {
  Name?: string;
  FunctionVersion?: string;
  Description?: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> | null } | null;
  RevisionId?: string;
}

/** `RoutingConfig` as weights: absent → undefined (keep), present but empty → `{}` (none). */
export function weightsOf(b: AliasBody): Record<string, number> | undefined {
  if (b.RoutingConfig === undefined) return undefined;
  return { ...(b.RoutingConfig?.AdditionalVersionWeights ?? {}) };
}
