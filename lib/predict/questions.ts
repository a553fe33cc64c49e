/**
 * "Predict, then reveal": the course's prediction questions, one registry keyed by URL-safe ids.
 *
 * A chapter asks a question with `<Predict id="…" />` just before the figure (or the paragraph) that answers it;
 * the presenter (`/present/<chapter>/`) shows the same question above that figure. The answer is never typed
 * here: each question's `answer()` computes which choice is right from `lib/` at the figure's default settings,
 * or reads it from `content/data/` (the paper's tables, this site's ablation study). It runs at build time on the
 * server (components/mdx/Predict.tsx), so the loss core never ships to the page for a question, and a change in
 * `lib/` or the data changes the revealed answer, or fails the build when no choice fits any more.
 */
import ablation from '@/content/data/ablation.json';
import apDetections from '@/content/data/ap-detections.json';
import paperTable1 from '@/content/data/paper-table1.json';
import reliability from '@/content/data/reliability.json';
import { pairedDifference, summarise, type AblationRow } from '../detector/ablationResults';
import { anchorCensus } from '../detector/census';
import { gradientCurves, lossCurves, logitsForPt } from '../loss/curves';
import { imbalanceBreakdown, IMBALANCE_DEFAULTS } from '../loss/imbalance';
import { laterLossRows } from '../loss/laterCurves';
import { apAnalysis, type ApImage } from '../metrics/apCurve';
import { seedMeanTable, seedTablesOf, type ReliabilityFile } from '../metrics/reliability';
import { initialLossVsPrior } from '../loss/prior';
import { ensureCpuBackendSync } from '../tf/backend';

/** What a question reveals: the right choice and why, with the numbers that decide it. */
export interface PredictAnswer {
  /** Index into `choices` of the right answer. */
  correct: number;
  /** Plain text (no markup) explaining the answer, with the computed numbers. */
  explanation: string;
  /** Where the answer comes from: the lib function and its settings, or the table cited. */
  source: string;
}

export interface PredictQuestion {
  /** URL-safe id: the `<Predict id>` of the chapter and the localStorage key of the reader's guess. */
  id: string;
  /** Slug of the chapter that asks it. */
  chapter: string;
  prompt: string;
  choices: readonly string[];
  /** Computes the answer (build time; may run the tfjs loss core on the CPU backend). */
  answer: () => PredictAnswer;
}

/** A question with its answer computed: plain, serialisable data for the client component and the presenter. */
export interface ResolvedQuestion extends Omit<PredictQuestion, 'answer'>, PredictAnswer {}

/**
 * Index of the bucket `[edges[i], edges[i+1])` that holds `x` (edges ascending; the last bucket is closed at the
 * top). Maps a computed number to the choice that describes its range.
 * @throws RangeError when x is outside [edges[0], edges[last]] or not finite
 */
export function bucketOf(x: number, edges: readonly number[]): number {
  if (!Number.isFinite(x) || x < edges[0] || x > edges[edges.length - 1]) {
    throw new RangeError(`${x} lies outside the choices' range [${edges[0]}, ${edges[edges.length - 1]}]`);
  }
  for (let i = 0; i < edges.length - 2; i++) if (x < edges[i + 1]) return i;
  return edges.length - 2;
}

/** Index of the value in `options` nearest to x. */
export function closestChoice(x: number, options: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < options.length; i++)
    if (Math.abs(options[i] - x) < Math.abs(options[best] - x)) best = i;
  return best;
}

const pct = (x: number, digits = 0) =>
  x > 0 && x < 0.01 ? `${(100 * x).toPrecision(2)} %` : `${(100 * x).toFixed(digits)} %`;
const num = (x: number, digits = 2) => x.toFixed(digits).replace(/^-/, '−');

function ablationRow(name: string): AblationRow {
  const row = (ablation.results as unknown as AblationRow[]).find((r) => r.name === name);
  if (!row) throw new Error(`content/data/ablation.json has no run "${name}"`);
  return row;
}

/**
 * Which of two runs of the study is ahead on every seed, paired by seed (same seed = same images and initial
 * weights): 0 = `a` on every seed, 1 = `b` on every seed, 2 = neither.
 */
export function pairedOutcome(a: AblationRow, b: AblationRow): 0 | 1 | 2 {
  const d = pairedDifference({ seeds: a.seeds, values: a.ap }, { seeds: b.seeds, values: b.ap });
  if (d.n > 0 && d.diffs.every((x) => x > 0)) return 0;
  if (d.n > 0 && d.diffs.every((x) => x < 0)) return 1;
  return 2;
}

export const PREDICT_QUESTIONS: readonly PredictQuestion[] = [
  {
    id: 'easy-negative-share',
    chapter: 'class-imbalance',
    prompt:
      'The calculator below starts with 100,000 negatives (99 % of them easy, at p_t ≈ 0.99) and 50 positives. ' +
      'What share of plain cross-entropy’s total loss comes from the easy negatives?',
    choices: ['Under 10 %', '10–40 %', '40–80 %', 'Over 80 %'],
    answer: () => {
      const r = imbalanceBreakdown(IMBALANCE_DEFAULTS).losses.ce;
      const share = r.easyNeg.loss / r.total.loss;
      return {
        correct: bucketOf(share, [0, 0.1, 0.4, 0.8, 1]),
        explanation:
          `${pct(share)} of CE’s loss, and ${pct(r.easyNeg.grad / r.total.grad)} of its gradient, come from the ` +
          `${Math.round(r.easyNeg.count).toLocaleString('en-US')} easy negatives, although each costs only ` +
          `about −log 0.99 ≈ 0.01. The positives carry ${pct(r.pos.loss / r.total.loss, 1)}.`,
        source: 'lib/loss/imbalance.ts imbalanceBreakdown at the figure’s defaults (IMBALANCE_DEFAULTS)',
      };
    },
  },
  {
    id: 'nms-off-ap',
    chapter: 'class-imbalance',
    prompt:
      'The figure below starts with non-maximum suppression on: of several overlapping boxes of one class, only the ' +
      'highest-scoring stays. Switch it off and every near-duplicate stays in the list. What happens to AP50?',
    choices: [
      'It rises: more boxes, more chances to find each object',
      'It barely moves (less than 1 point)',
      'It falls: each duplicate is a false alarm',
    ],
    answer: () => {
      const images = apDetections.images as unknown as ApImage[];
      const opts = { classIndex: 0, numClasses: 3, iouThreshold: 0.5 } as const;
      const on = apAnalysis(images, { ...opts, nmsIou: 0.5 }).meanAp;
      const off = apAnalysis(images, { ...opts, nmsIou: null }).meanAp;
      const delta = off - on;
      return {
        correct: delta > 0.01 ? 0 : delta < -0.01 ? 2 : 1,
        explanation:
          `AP50 over the three classes: ${num(100 * on, 1)} with NMS at 0.5, ${num(100 * off, 1)} without. An ` +
          'object can be found only once: the first box that matches it is a true positive, and every duplicate ' +
          'after it counts as a false positive, pulling precision down at every recall it reaches.',
        source:
          'lib/metrics/apCurve.ts apAnalysis (NMS from lib/detector/boxes.ts, AP from lib/metrics/coco.ts) on the ' +
          'toy’s detections in content/data/ap-detections.json',
      };
    },
  },
  {
    id: 'ce-easy-vs-hard',
    chapter: 'cross-entropy',
    prompt:
      'Cross-entropy of an easy example (p_t = 0.9) against a hard one (p_t = 0.1): how many times smaller is ' +
      'the easy example’s loss?',
    choices: [
      'About the same',
      'About 2 times smaller',
      'About 20 times smaller',
      'About 1,000 times smaller',
    ],
    answer: () => {
      const [[hard, easy]] = lossCurves([0.1, 0.9], [{ gamma: 0, alpha: null }]);
      const ratio = hard / easy;
      return {
        correct: bucketOf(ratio, [1, 1.5, 5, 100, 1e6]),
        explanation:
          `CE(0.9) = −log 0.9 ≈ ${num(easy, 3)} and CE(0.1) = −log 0.1 ≈ ${num(hard)}: only about ` +
          `${Math.round(ratio)} times smaller. An easy example is far from free, so a few thousand of them ` +
          'outweigh a hundred hard ones.',
        source: 'lib/loss/curves.ts lossCurves (γ = 0, no α)',
      };
    },
  },
  {
    id: 'fl-gamma2-shape',
    chapter: 'focal-loss',
    prompt:
      'Focal loss with γ = 2 multiplies cross-entropy by (1 − p_t)². What does its curve against p_t look like?',
    choices: [
      'CE shifted down by a constant: every example loses the same amount',
      'Close to CE for badly classified examples, far below it (about 100 times) once p_t passes 0.9',
      'Far below CE for badly classified examples, close to CE for well-classified ones',
      'Above CE everywhere: the factor adds a penalty',
    ],
    answer: () => {
      const [ce, fl] = lossCurves(
        [0.1, 0.9],
        [
          { gamma: 0, alpha: null },
          { gamma: 2, alpha: null },
        ],
      );
      const hard = fl[0] / ce[0];
      const easy = fl[1] / ce[1];
      // The choice is the shape these two ratios describe; anything else means the loss core changed.
      if (!(hard > 0.5 && easy < 0.02)) throw new Error(`FL/CE ratios ${hard}, ${easy} fit no choice`);
      return {
        correct: 1,
        explanation:
          `At p_t = 0.1 FL keeps ${pct(hard)} of CE’s loss; at p_t = 0.9 it keeps ${pct(easy, 1)}, a hundredth. ` +
          'The curve hugs CE on the left and drops to almost zero on the right: the paper’s Figure 1.',
        source: 'lib/loss/curves.ts lossCurves (γ = 0 and 2, no α); paper Figure 1',
      };
    },
  },
  {
    id: 'first-step-balance',
    chapter: 'alpha-focal-and-fl-star',
    prompt:
      'First training step, prior π = 0.01: 100,000 negatives at p_t = 0.99 and 100 positives at p_t = 0.01. ' +
      'Under cross-entropy the negatives carry more loss. Under focal loss with γ = 2 (no α), which group does?',
    choices: [
      'Still the negatives',
      'The positives, up to 10 times more',
      'The positives, 10 to 1,000 times more',
      'The positives, over 1,000 times more',
    ],
    answer: () => {
      const [[pos, neg]] = lossCurves([0.01, 0.99], [{ gamma: 2, alpha: null }]);
      const positives = 100 * pos;
      const negatives = 100_000 * neg;
      const ratio = positives / negatives;
      return {
        correct: bucketOf(ratio, [0, 1, 10, 1000, Infinity]),
        explanation:
          `Positives ≈ 100 × ${num(pos)} ≈ ${Math.round(positives)}; negatives ≈ 100,000 × ${neg.toExponential(1)} ` +
          `≈ ${num(negatives)}: the positives carry about ${Math.round(ratio).toLocaleString('en-US')} times ` +
          'more. With the negatives this quiet, there is no reason to weight the positives up: hence α = 0.25.',
        source:
          'lib/loss/curves.ts lossCurves (γ = 2, no α) at p_t = 0.01 and 0.99; the counts are the chapter’s',
      };
    },
  },
  {
    id: 'fl-gradient-hard',
    chapter: 'gradients',
    prompt:
      'A positive the model gets badly wrong: p_t = 0.1. Cross-entropy’s gradient there is dCE/dx = p_t − 1 = −0.9. ' +
      'What is the gradient of FL with γ = 2 (no α)?',
    choices: [
      'Negative, and larger in size than CE’s',
      'Negative, about the same as CE’s (within 10 %)',
      'Negative, less than half of CE’s',
      'Positive: focal loss pushes the other way',
    ],
    answer: () => {
      const x = logitsForPt([0.1], 1);
      const [[ce], [fl]] = gradientCurves(x, [
        { gamma: 0, alpha: null, target: 1 },
        { gamma: 2, alpha: null, target: 1 },
      ]);
      const ratio = fl / ce;
      const correct = fl > 0 ? 3 : ratio > 1.1 ? 0 : ratio >= 0.9 ? 1 : ratio < 0.5 ? 2 : -1;
      if (correct < 0) throw new Error(`FL/CE gradient ratio ${ratio} fits no choice`);
      return {
        correct,
        explanation:
          `dFL/dx ≈ ${num(fl)} against dCE/dx ≈ ${num(ce)}: the same sign, and ${num(ratio)} times as large. ` +
          'At p_t = 0.1 the factor (1 − p_t)² is still 0.81, and the derivative of the factor itself adds to the ' +
          'push: focal loss does not weaken the gradient of hard examples.',
        source: 'lib/loss/curves.ts gradientCurves (tf.grad of the loss core), target y = 1',
      };
    },
  },
  {
    id: 'prior-negative-share',
    chapter: 'retinanet',
    prompt:
      'With the prior π = 0.01, every background output starts at p = 0.01 and costs only about 0.01 under CE. ' +
      'In the toy detector’s first step, which part of the CE loss is larger?',
    choices: ['The positives’ part', 'About even (40–60 %)', 'Still the negatives’ part'],
    answer: () => {
      const c = anchorCensus({ images: 32 });
      const counts = {
        numAnchors: c.mean.foreground + c.mean.background,
        numClasses: c.numClasses,
        numPositives: c.mean.foreground,
      };
      const [at] = initialLossVsPrior([0.01], counts, { gamma: 2 });
      const share = at.ce.negativeShare;
      return {
        correct: bucketOf(share, [0, 0.4, 0.6, 1]),
        explanation:
          `The negatives carry ${pct(share)} of CE’s first-step loss: about ` +
          `${Math.round(at.negativeEntries).toLocaleString('en-US')} background outputs at 0.01 each against ` +
          `${num(at.positiveEntries, 1)} positive ones at −log 0.01 ≈ 4.6. The prior makes the start stable, not ` +
          `balanced; focal loss (γ = 2) brings the negatives’ share down to ${pct(at.fl.negativeShare, 1)}.`,
        source:
          'lib/loss/prior.ts initialLossVsPrior with the toy’s measured anchor counts (lib/detector/census.ts, ' +
          'first 32 training images), the figure’s default setting',
      };
    },
  },
  {
    id: 'race-ce-vs-fl',
    chapter: 'training',
    prompt:
      `A race in the toy: plain CE against FL with γ = 2, α = 0.25, both started from the prior π = 0.01, ` +
      `${ablation.design.steps} steps, ${ablation.design.seeds.length} seeds each, every pair of runs on the same ` +
      'images from the same initial weights. Which ends with the higher AP on the held-out images?',
    choices: [
      'FL γ = 2, on every seed (as in the paper’s Table 1)',
      'CE, on every seed',
      'Neither on every seed: the seeds disagree',
    ],
    answer: () => {
      const ce = ablationRow('ce');
      const fl = ablationRow('fl-g2');
      const outcome = pairedOutcome(fl, ce);
      const s = (xs: readonly number[]) => summarise(xs);
      const range = (xs: readonly number[]) =>
        `${num(100 * s(xs).mean, 1)} AP (seeds ${num(100 * s(xs).min, 1)}–${num(100 * s(xs).max, 1)})`;
      const n = ablation.design.seeds.length;
      const t1a = (paperTable1.table1a.rows as number[][]).find((r) => r[0] === 0.75);
      const t1b = (paperTable1.table1b.rows as number[][]).find((r) => r[0] === 2);
      if (!t1a || !t1b) throw new Error('paper-table1.json lacks the α = 0.75 CE or the γ = 2 FL row');
      const verdict =
        outcome === 2
          ? `Over ${n} seeds neither is ahead on every seed`
          : `${outcome === 0 ? 'FL γ = 2' : 'CE'} is ahead on every one of the ${n} seeds`;
      return {
        correct: outcome,
        explanation:
          `CE: ${range(ce.ap)}; FL γ = 2: ${range(fl.ap)}. ${verdict} (chapter 8 has every seed). The paper’s ` +
          `gap, ${num(t1a[1], 1)} AP for the best α-CE against ${num(t1b[2], 1)} for FL γ = 2 (Tables 1a and ` +
          '1b), is measured on COCO with ~100k anchors per image, far more imbalanced than the toy’s ' +
          `${ablation.design.anchors.anchors_per_image.toLocaleString('en-US')}.`,
        source: `content/data/ablation.json (runs ce and fl-g2, seeds ${ablation.design.seeds.join(', ')})`,
      };
    },
  },
  {
    id: 'toy-best-gamma',
    chapter: 'results',
    prompt:
      `The toy study trained FL with α = 0.25 at γ = 0.5, 1, 2 and 5 (${ablation.design.seeds.length} seeds ` +
      'each). Which γ has the highest mean AP?',
    choices: ['γ = 0.5', 'γ = 1', 'γ = 2, the paper’s choice', 'γ = 5'],
    answer: () => {
      const names = ['fl-g0.5', 'fl-g1', 'fl-g2', 'fl-g5'];
      const means = names.map((n) => summarise(ablationRow(n).ap).mean);
      const best = means.indexOf(Math.max(...means));
      const runnerUp = means
        .map((m, i) => [m, i] as const)
        .filter(([, i]) => i !== best)
        .sort((a, b) => b[0] - a[0])[0][1];
      const d = pairedDifference(
        { seeds: ablationRow(names[best]).seeds, values: ablationRow(names[best]).ap },
        { seeds: ablationRow(names[runnerUp]).seeds, values: ablationRow(names[runnerUp]).ap },
      );
      return {
        correct: best,
        explanation:
          `Mean AP: ${names.map((n, i) => `${n.replace('fl-g', 'γ = ')} ${num(100 * means[i], 1)}`).join(', ')}. ` +
          `Seed by seed, the highest minus the next (${names[runnerUp].replace('fl-g', 'γ = ')}) is ` +
          `${num(100 * d.mean, 1)} ± ${num(100 * d.std, 1)} points: ` +
          (d.separated
            ? 'more than twice its standard error.'
            : 'within twice its standard error, so the two are not told apart.') +
          ' The table below gives every seed.',
        source: 'content/data/ablation.json (runs fl-g0.5, fl-g1, fl-g2, fl-g5)',
      };
    },
  },
  {
    id: 'ce-detection-calibration',
    chapter: 'beyond-the-paper',
    prompt:
      'The toy detector trained with plain cross-entropy gives some of its detections a score between 0.5 and 0.6. ' +
      'On test images, what share of those detections find an object (IoU ≥ 0.5)?',
    choices: ['Under 45 %', 'About 55 %, what the score says', 'Over 65 %'],
    answer: () => {
      const file = reliability as unknown as ReliabilityFile;
      const bin = seedMeanTable(seedTablesOf(file, 'ce', 'detections'))[5];
      if (bin.precision === null) throw new Error('reliability.json: too few CE detections scored 0.5–0.6');
      return {
        correct: bucketOf(bin.precision, [0, 0.45, 0.65, 1]),
        explanation:
          `${pct(bin.precision)} of them, averaged over ${bin.seedsUsed} seeds (mean score ${num(bin.meanScore ?? NaN)}; ` +
          `${bin.count.toLocaleString('en-US')} detections in all). The figure below shows every score bin.`,
        source: 'content/data/reliability.json (runs ce, detections, score bin 0.5–0.6)',
      };
    },
  },
  {
    id: 'qfl-minimum',
    chapter: 'beyond-the-paper',
    prompt:
      'Quality focal loss trains a positive towards its box quality q instead of 1. For a positive with q = 0.6, ' +
      'at which score σ is its loss lowest?',
    choices: ['σ = 1, like every classification loss', 'σ = q = 0.6', 'σ = 0.3'],
    answer: () => {
      const sigmas = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
      const [qfl] = laterLossRows(logitsForPt(sigmas, 1), 0.6, ['qfl']);
      const argmin = sigmas[qfl.indexOf(Math.min(...qfl))];
      return {
        correct: closestChoice(argmin, [1, 0.6, 0.3]),
        explanation:
          `On a grid of scores 0.01…0.99 the loss is lowest at σ = ${argmin}: QFL is zero where the score equals ` +
          'the target q, so a poorly localised box is not pushed to full confidence.',
        source: 'lib/loss/laterCurves.ts laterLossRows (QFL, β = 2, q = 0.6)',
      };
    },
  },
];

/** The question with `id`, its answer computed. @throws Error for an unknown id (a typo fails the build). */
export function resolveQuestion(id: string): ResolvedQuestion {
  const q = PREDICT_QUESTIONS.find((x) => x.id === id);
  if (!q) throw new Error(`Predict: no question "${id}" in lib/predict/questions.ts`);
  const { answer, ...rest } = q;
  ensureCpuBackendSync();
  const a = answer();
  if (!(Number.isInteger(a.correct) && a.correct >= 0 && a.correct < q.choices.length)) {
    throw new Error(`Predict "${id}": answer ${a.correct} is not one of ${q.choices.length} choices`);
  }
  return { ...rest, ...a };
}
