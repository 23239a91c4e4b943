/**
 * JSON Schema checks with ajv that answer in plain sentences (pack-schema.ts words them), for
 * every document a user hands us: a model pack's model.json, a run record read from a PNG.
 */
import AjvModule from 'ajv';
import { describeSchemaErrors, type SchemaError } from './pack-schema.js';

type AjvCtor = new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: SchemaError[] | null } };
const Ajv = ((AjvModule as unknown as { default?: AjvCtor }).default ?? AjvModule) as unknown as AjvCtor;

/** A checker for `schema`, compiled on first use: the problems of a document, none when it is valid. */
export function schemaChecker(schema: object): (doc: unknown) => string[] {
  let validate: ReturnType<InstanceType<AjvCtor>['compile']> | undefined;
  return (doc) => {
    validate ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
    return validate(doc) ? [] : describeSchemaErrors(validate.errors ?? []);
  };
}
