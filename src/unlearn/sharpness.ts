// The sharpness-aware modifier of the methods that optimise a forget loss (ga, neggrad-plus, scrub's max-steps):
// `--param sharpness=ρ` takes the forget loss's gradient at the worst point within ρ of the weights (SAM), so that
// forgetting survives the small weight changes of a relearning attack. Fan et al., ICML 2025 (their ρ: 0.01–0.1).
import { z } from 'zod';

export const sharpnessParam = z.number().min(0).max(10).default(0)
  .describe('SAM radius ρ on the forget loss (0: plain gradient); the forget gradient is taken at θ + ρ·g/‖g‖, robust to relearning');
export const SHARPNESS_PAPER = 'with sharpness=ρ: Fan et al., "Towards LLM Unlearning Resilient to Relearning Attacks", ICML 2025';
