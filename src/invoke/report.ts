/** Lambda's platform log lines (START / END / REPORT), formatted as Lambda prints them. */

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  memoryMb: number;
  maxMemoryUsedMb: number;
  initMs?: number;
  status?: 'timeout' | 'error';
}

/** Billed duration: rounded up to the next millisecond, as Lambda bills since 2020. */
export const billedMs = (durationMs: number): number => Math.max(1, Math.ceil(durationMs));

export function reportLine(r: ReportFields): string {
  const parts = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedMs(r.durationMs)} ms`,
    `Memory Size: ${r.memoryMb} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMb} MB`,
  ];
  if (r.initMs !== undefined) parts.push(`Init Duration: ${r.initMs.toFixed(2)} ms`);
  if (r.status) parts.push(`Status: ${r.status}`);
  return parts.join('\t') + '\t\n';
}

/** The `X-Amz-Log-Result` value: base64 of the last 4 KB of the invocation's log. */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - 4096)).toString('base64');
}
