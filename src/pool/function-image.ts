/** Everything needed to start environments of one function version at one revision. */
export interface FunctionImage {
  /** Unique per name, version and configuration revision: environments never outlive it. */
  key: string;
  name: string;
  version: string;
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutS: number;
  ephemeralStorageMb: number;
  /** The function's own variables (Lambda's standard ones are added at start). */
  env: Record<string, string>;
  /** Host folder holding the unpacked code. */
  codeDir: string;
  /** Host folder holding the function's layers merged in order; absent without layers. */
  optDir?: string;
  region: string;
  /** Requests one environment serves at once; absent means 1, as on Lambda (Hearth extension). */
  maxConcurrentRequests?: number;
}
