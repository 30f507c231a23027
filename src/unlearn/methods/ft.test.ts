import { beforeAll, test } from 'vitest';
import type { UnlearnContext } from '../method.ts';
import { ft } from './ft.ts';
import { classForget, expectClassForgotten } from '../../../test/support/unlearn.ts';

// Fine-tuning forgets by catastrophic forgetting: once the retain set has no sample of a class, the class fades.
// That needs classes that share features, so this test forgets class 4 (coat) of the committed Fashion-MNIST
// subset; on the synthetic set's well-separated clusters forty passes still leave half of class 1 in place.
let ctx: UnlearnContext;
beforeAll(async () => {
  ctx = await classForget('fashion-mnist-mini', 4);
});

test('ft: the forgotten class (coat) drops out of the test predictions, the other classes keep theirs', () =>
  expectClassForgotten(ctx, () => ft.run(ctx, ft.params.parse({})), { knownAbove: 80, forgottenBelow: 10 }));
