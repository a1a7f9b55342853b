/** ARNs in Lambda's shape. One account and region per node until tenants arrive. */
export const ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export function functionArn(region: string, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
  return qualifier ? `${base}:${qualifier}` : base;
}

/**
 * Accepts what Lambda accepts as a FunctionName: a bare name, `name:qualifier`, a
 * partial ARN `ACCOUNT:function:name` or a full ARN, and returns the name and qualifier.
 */
export function parseFunctionRef(ref: string): { name: string; qualifier?: string } {
  const parts = ref.split(':');
  if (parts[0] === 'arn') {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    return { name: parts[6] ?? '', qualifier: parts[7] };
  }
  if (parts.length >= 3 && parts[1] === 'function') return { name: parts[2] ?? '', qualifier: parts[3] };
  return { name: parts[0] ?? '', qualifier: parts[1] };
}

/** `arn:aws:lambda:REGION:ACCOUNT:layer:NAME`, with `:VERSION` for a layer version. */
export function layerArn(region: string, name: string, version?: number): string {
  const base = `arn:aws:lambda:${region}:${ACCOUNT_ID}:layer:${name}`;
  return version === undefined ? base : `${base}:${version}`;
}
