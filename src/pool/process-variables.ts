/**
 * Lambda's reserved variables that do not depend on the function: the ones a runtime may
 * read as its process starts (the dynamic loader reads LD_LIBRARY_PATH, ICU reads LANG).
 * A pre-warmed generic environment is started with exactly these values, so they must
 * come from one place for it and for a plain start.
 */
export function processVariables(taskRoot: string, runtimeRoot: string, optRoot: string): Record<string, string> {
  return {
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PATH: `/usr/local/bin:/usr/bin:/bin:${optRoot}/bin`,
    LD_LIBRARY_PATH: `/lib64:/usr/lib64:${runtimeRoot}:${runtimeRoot}/lib:${taskRoot}:${taskRoot}/lib:${optRoot}/lib`,
  };
}
