// Turns a method's parameter JSON schema (zod's toJSONSchema, served by /api/methods) into form fields,
// and the form's strings back into typed values. No method is named here: the registry's schemas drive the form.

/** The JSON Schema keywords the form reads; others pass through unread, so the API's ParamsSchema (src/shared/http.ts) is one. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  [keyword: string]: unknown;
}

export type FieldKind = 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'json';

export interface Field {
  key: string;
  kind: FieldKind;
  label: string;
  description?: string;
  default?: unknown;
  options?: string[];
  min?: number;
  max?: number;
  /** True where the bound itself is not allowed (exclusiveMinimum / exclusiveMaximum). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  optional: boolean;
}

/** "batchSize" → "batch size". */
export function humanize(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}

function kindOf(s: JsonSchema): FieldKind {
  if (s.enum) return 'enum';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'number' || t === 'integer' || t === 'boolean' || t === 'string') return t;
  if (s.anyOf) {
    const inner = s.anyOf.find((x) => x.type !== 'null');
    if (inner) return kindOf(inner);
  }
  return 'json';
}

export function fieldsOf(schema: JsonSchema | undefined, defaults: Record<string, unknown> = {}): Field[] {
  const props = schema?.properties ?? {};
  return Object.entries(props).map(([key, s]) => {
    const kind = kindOf(s);
    const f: Field = {
      key,
      kind,
      label: humanize(key),
      description: s.description,
      default: key in defaults ? defaults[key] : s.default,
      optional: !(key in defaults) && s.default === undefined && !(schema?.required ?? []).includes(key),
    };
    if (kind === 'enum') f.options = (s.enum ?? []).map(String);
    if (s.minimum !== undefined) f.min = s.minimum;
    if (s.exclusiveMinimum !== undefined) Object.assign(f, { min: s.exclusiveMinimum, minExclusive: true });
    if (s.maximum !== undefined) f.max = s.maximum;
    if (s.exclusiveMaximum !== undefined) Object.assign(f, { max: s.exclusiveMaximum, maxExclusive: true });
    return f;
  });
}

/** The form's starting text for each field. */
export function initialValues(fields: Field[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.key, f.default === undefined ? '' : typeof f.default === 'object' ? JSON.stringify(f.default) : String(f.default)]));
}

export type Parsed = { ok: true; values: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/** Reads the form's strings into typed values and checks the schema's bounds; empty optional fields are left out. */
export function parseValues(fields: Field[], raw: Record<string, string>): Parsed {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const text = (raw[f.key] ?? '').trim();
    if (text === '') {
      if (!f.optional && f.default === undefined) errors[f.key] = 'required';
      continue;
    }
    switch (f.kind) {
      case 'number':
      case 'integer': {
        const v = Number(text);
        if (!Number.isFinite(v)) errors[f.key] = 'not a number';
        else if (f.kind === 'integer' && !Number.isInteger(v)) errors[f.key] = 'must be a whole number';
        else if (f.min !== undefined && (f.minExclusive ? v <= f.min : v < f.min)) errors[f.key] = `must be ${f.minExclusive ? '>' : '≥'} ${f.min}`;
        else if (f.max !== undefined && (f.maxExclusive ? v >= f.max : v > f.max)) errors[f.key] = `must be ${f.maxExclusive ? '<' : '≤'} ${f.max}`;
        else values[f.key] = v;
        break;
      }
      case 'boolean':
        values[f.key] = text === 'true';
        break;
      case 'enum':
        if (f.options && !f.options.includes(text)) errors[f.key] = `one of ${f.options.join(', ')}`;
        else values[f.key] = text;
        break;
      case 'string':
        values[f.key] = text;
        break;
      default:
        try {
          values[f.key] = JSON.parse(text);
        } catch {
          errors[f.key] = 'not valid JSON';
        }
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values };
}

/** One argument of a task kind (GET /api/tasks) as a field: its limits and default come from the task's schema. */
export function taskField(tasks: { kind: string; args: JsonSchema }[], kind: string, key: string): Field | undefined {
  const s = tasks.find((t) => t.kind === kind)?.args.properties?.[key];
  return s ? fieldsOf({ properties: { [key]: s } })[0] : undefined;
}

/** "1–20" from a field's bounds, for a hint. */
export function rangeText(f: Field | undefined): string | undefined {
  return f && f.min !== undefined && f.max !== undefined ? `${f.min}–${f.max}` : undefined;
}

/** A model kind the train task has a recipe for (its `recipe` argument's variants), with the recipe's fields. */
export interface RecipeKind {
  kind: string;
  fields: Field[];
}

/** The recipe kinds of the train task's schema (/api/tasks): one per variant of `recipe`, named by its `kind` constant. */
export function recipeKinds(tasks: { kind: string; args: JsonSchema }[]): RecipeKind[] {
  const recipe = tasks.find((t) => t.kind === 'train')?.args.properties?.recipe;
  const variants = (recipe?.oneOf ?? recipe?.anyOf ?? []) as JsonSchema[];
  return variants.flatMap((v) => {
    const kind = v.properties?.kind?.const;
    if (typeof kind !== 'string') return [];
    const { kind: _k, ...rest } = v.properties ?? {};
    return [{ kind, fields: fieldsOf({ ...v, properties: rest }) }];
  });
}
