/**
 * Exactly the zod/mini functions this product uses, re-exported by name; `z.ts` exposes them as
 * the `z` namespace. Importing zod's own `z` namespace object instead made webpack keep all of
 * zod — its 40 locales alone were 296 KB of the mini-program's main package. Add a function
 * here when a schema needs one.
 */
export {
  _default,
  array,
  boolean,
  config,
  date,
  enum,
  gte,
  int,
  length,
  lazy,
  literal,
  lte,
  maxLength,
  minLength,
  nullable,
  number,
  object,
  optional,
  pipe,
  record,
  refine,
  regex,
  safeParse,
  strictObject,
  string,
  superRefine,
  transform,
  trim,
  union,
} from 'zod/mini'
export type { infer, input, output, ZodMiniNumber, ZodMiniOptional, core } from 'zod/mini'
