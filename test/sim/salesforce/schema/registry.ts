import { OBJECTS } from './objects.ts';
import type { FieldDef, ObjectDef } from './types.ts';

/** Object and field lookup, case-insensitive as Salesforce API names are. */
export class SchemaRegistry {
  readonly #objects = new Map<string, ObjectDef>();
  readonly #fields = new Map<string, Map<string, FieldDef>>();

  constructor(objects: readonly ObjectDef[] = OBJECTS) {
    for (const object of objects) {
      this.#objects.set(object.name.toLowerCase(), object);
      this.#fields.set(object.name, new Map(object.fields.map((field) => [field.name.toLowerCase(), field])));
    }
  }

  objects(): ObjectDef[] {
    return [...this.#objects.values()];
  }

  object(name: string): ObjectDef | undefined {
    return this.#objects.get(name.toLowerCase());
  }

  field(object: ObjectDef, name: string): FieldDef | undefined {
    return this.#fields.get(object.name)?.get(name.toLowerCase());
  }

  byKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.objects().find((object) => object.keyPrefix === prefix);
  }
}

export const schema = new SchemaRegistry();
