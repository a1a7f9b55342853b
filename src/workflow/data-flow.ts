/**
 * Step Functions' JSONPath data flow: InputPath → Parameters/ItemSelector → (the state's
 * work) → ResultSelector → ResultPath → OutputPath. Payload templates copy their JSON and
 * replace each `key.$` field with the value of its path or intrinsic function.
 */
import { RESULT_PATH_MATCH_FAILURE, RUNTIME, StatesError } from './errors.js';
import { evaluateIntrinsic, type IntrinsicEnv } from './intrinsics.js';
import { looksIntrinsic, parseIntrinsic } from './intrinsic-parser.js';
import { queryPath, setPath } from './json-path.js';
import type { Json, JsonObject } from './types.js';

/** InputPath and OutputPath: absent means `$`, null means `{}`. */
export function selectPath(path: unknown, input: Json, context: Json, field: string): Json {
  if (path === undefined) return input;
  if (path === null) return {};
  const v = queryPath(path as string, input, context);
  if (v === undefined) throw new StatesError(RUNTIME, `The JSONPath '${path as string}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`);
  return v;
}

/** A payload template (Parameters, ItemSelector, ResultSelector) applied to `input`. */
export function applyTemplate(template: Json, env: IntrinsicEnv): Json {
  if (Array.isArray(template)) return template.map((t) => applyTemplate(t, env));
  if (typeof template !== 'object' || template === null) return template;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      out[key.slice(0, -2)] = dynamicValue(key, value as string, env);
    } else {
      out[key] = applyTemplate(value, env);
    }
  }
  return out;
}

function dynamicValue(key: string, expr: string, env: IntrinsicEnv): Json {
  if (looksIntrinsic(expr)) return evaluateIntrinsic(parseIntrinsic(expr), env);
  const v = queryPath(expr, env.input, env.context);
  if (v === undefined) {
    throw new StatesError(RUNTIME, `The JSONPath '${expr}' specified for the field '${key}' could not be found in the input '${JSON.stringify(env.input)}'`);
  }
  return v;
}

/** ResultPath: absent means `$` (the result replaces the input), null discards the result. */
export function applyResultPath(path: unknown, rawInput: Json, result: Json): Json {
  if (path === undefined) return result;
  if (path === null) return rawInput;
  try {
    return setPath(rawInput, path as string, result);
  } catch (e) {
    throw new StatesError(RESULT_PATH_MATCH_FAILURE, `Unable to apply ResultPath '${path as string}': ${(e as Error).message}`);
  }
}
