/**
 * "7, or a 1?": whether the reading should name a second digit, and which. Pure.
 *
 * The rule (chosen before measuring; README "Using it" has its figures on unseen writers): the second most likely
 * digit is shown when it is at least a quarter as likely as the top one (the model gives it 1 chance in 5 or more
 * of the two-way choice) and at least 10% likely in itself (so a spread-out reading does not offer a digit the
 * model hardly believes in).
 */

/** A second reading: the other likely digit and its probability. */
export interface SecondReading {
  digit: number;
  probability: number;
}

export interface CloseRule {
  /** The second probability is at least this fraction of the top one. */
  ratio: number;
  /** And at least this probability. */
  floor: number;
}

export const CLOSE_RULE: CloseRule = { ratio: 0.25, floor: 0.1 };

/** The second most likely digit when it is close to the top one by `rule`, or undefined. */
export function secondReading(probabilities: ArrayLike<number> | null | undefined, rule: CloseRule = CLOSE_RULE): SecondReading | undefined {
  if (!probabilities || probabilities.length < 2) return undefined;
  let top = 0;
  for (let d = 1; d < probabilities.length; d++) if (probabilities[d]! > probabilities[top]!) top = d;
  let second = top === 0 ? 1 : 0;
  for (let d = 0; d < probabilities.length; d++) if (d !== top && probabilities[d]! > probabilities[second]!) second = d;
  const p1 = probabilities[top]!;
  const p2 = probabilities[second]!;
  return p2 >= rule.floor && p2 >= rule.ratio * p1 ? { digit: second, probability: p2 } : undefined;
}
