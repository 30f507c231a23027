// Model kinds: how a checkpoint's model is built and served. Methods declare which kinds they accept.
export const MODEL_KINDS = {
  single: { summary: 'one network (an architecture of ./registry.ts); approximate methods work on these' },
  analytic: { summary: 'a fixed seeded random ReLU feature layer and a float64 ridge head (R, W in head.bin): exact closed-form deletion' },
} as const;
export type ModelKind = keyof typeof MODEL_KINDS;
export const MODEL_KIND_NAMES = Object.keys(MODEL_KINDS) as [ModelKind, ...ModelKind[]];
