// Once before every test run: the tests that spawn `lethe` run the command-line bundle, so it must hold the sources
// as they are now (npm test's set-up builds it too; this covers `npx vitest` after an edit).
// @ts-expect-error plain JS module (it runs before anything is compiled)
import { buildCli, freshEntry } from '../../scripts/cli-bundle.mjs';

export default async function setup() {
  if (!freshEntry()) await buildCli();
}
