'use client';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import { BRIDGE_EXTENT, makeBridgeData } from '@/lib/bridge/data';
import {
  decisionBoundary,
  EASY_PT,
  LogisticRace,
  RACE_MAX_STEPS,
  RACE_PRIOR,
  type RaceModel,
  type RaceSnapshot,
} from '@/lib/bridge/race';
import { fmt, fmtCount, fmtFixed, fmtPercent } from '@/lib/params/format';
import { BRIDGE_PREFIX, bridgeSchema } from '@/lib/params/figures';
import Axis from '../chart/Axis';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import StackedBars from '../chart/StackedBars';
import useOnScreen from '../chart/useOnScreen';
import useThemeVersion from '../chart/useThemeVersion';
import BridgeNegatives from './BridgeNegatives';
import FigureFrame from './FigureFrame';
import { groupBars } from './groupBars';
import { useFigure } from './useFigure';
import { EXAMPLE_GROUPS, HIGHLIGHT, LOSS_KINDS, STYLES, timed } from './shared';
import './bridge.css';

/** Each model's boundary line: CE and α-CE in the series colours, FL as the thick highlighted line. */
const LINE_STYLE = {
  ce: { ...STYLES[0], width: 2.5 },
  alpha_ce: { ...STYLES[4], width: 2.5 },
  focal: HIGHLIGHT,
} as const;
/** Steps per animation frame at most (the run is meant to be watched), and the main-thread time it may take. */
const MAX_STEPS_PER_FRAME = 2;
const FRAME_BUDGET_MS = 6;
/** One press of "Step" takes this many gradient steps. */
const STEP_CHUNK = 10;
const M = { top: 8, right: 10, bottom: 42, left: 44 };
const TICKS = [-4, -2, 0, 2, 4];

const noSubscribe = () => () => undefined;

export interface BridgeFigureProps {
  /** URL key prefix (default `lr`): `lr.gamma=2&lr.alpha=0.25&lr.neg=3162&lr.seed=1`. */
  prefix?: string;
  title?: ReactNode;
}

export default function BridgeFigure({
  prefix = BRIDGE_PREFIX,
  title = 'Logistic regression on a few positives among thousands of negatives',
}: BridgeFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(bridgeSchema, prefix);
  const { gamma, alpha, neg, seed } = state;

  const data = useMemo(
    () => (hydrated ? makeBridgeData({ seed, numNegatives: neg }) : null),
    [hydrated, seed, neg],
  );
  // A new race for new data or settings: a run is a function of what the URL says.
  const built = useMemo(
    () => (data ? timed(() => new LogisticRace(data, { gamma, alpha })) : null),
    [data, gamma, alpha],
  );
  const race = built?.value ?? null;
  const subscribe = useMemo(() => (race ? race.subscribe : noSubscribe), [race]);
  const getSnapshot = useCallback((): RaceSnapshot | null => race?.getSnapshot() ?? null, [race]);
  const snap = useSyncExternalStore(subscribe, getSnapshot, () => null);

  // Whether the reader wants it running: yes at first, unless they prefer reduced motion (then Step or Play).
  const wantRun = useRef<boolean | null>(null);
  useEffect(() => {
    if (!race) return;
    if (wantRun.current === null) {
      wantRun.current = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    }
    if (wantRun.current) race.play();
    return () => race.dispose();
  }, [race]);

  const onScreen = useOnScreen(ref);
  const status = snap?.status ?? 'paused';
  useEffect(() => {
    if (!race || status !== 'running' || !onScreen) return;
    let id = 0;
    let msPerStep = 1;
    const tick = () => {
      const n = Math.max(1, Math.min(MAX_STEPS_PER_FRAME, Math.floor(FRAME_BUDGET_MS / msPerStep)));
      const t0 = performance.now();
      race.advance(n);
      msPerStep = Math.max(0.01, (performance.now() - t0) / n);
      if (race.getSnapshot().status === 'running') id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [race, status, onScreen]);

  const play = () => {
    wantRun.current = true;
    race?.play();
  };
  const pause = () => {
    wantRun.current = false;
    race?.pause();
  };
  const step = () => {
    wantRun.current = false;
    race?.pause();
    race?.step(STEP_CHUNK);
  };
  const reset = () => race?.reset(wantRun.current ? 'running' : 'paused');

  const theme = useThemeVersion();
  const size = Math.max(200, Math.min(width, 460) - M.left - M.right);
  const x = useMemo(() => scaleLinear().domain([-BRIDGE_EXTENT, BRIDGE_EXTENT]).range([0, size]), [size]);
  const y = useMemo(() => scaleLinear().domain([-BRIDGE_EXTENT, BRIDGE_EXTENT]).range([size, 0]), [size]);

  const models = snap?.models ?? [];
  const model = (k: string): RaceModel | undefined => models.find((m) => m.kind === k);
  const twoUp = width >= 640;
  const barWidth = twoUp ? Math.floor((width - 16) / 2) : width;
  const n = data?.numPositives ?? 0;
  const stepNow = snap?.step ?? 0;
  const share = (k: string, m: 'lossShare' | 'gradShare', g: 'easyNeg' | 'hardNeg' | 'pos') =>
    model(k)?.[m][g] ?? NaN;

  const boundaryText = LOSS_KINDS.map(({ key, label }) => {
    const m = model(key);
    const seg = m && decisionBoundary(m, BRIDGE_EXTENT);
    return `${label}: ${seg ? `from (${fmtFixed(seg[0][0], 1)}, ${fmtFixed(seg[0][1], 1)}) to (${fmtFixed(seg[1][0], 1)}, ${fmtFixed(seg[1][1], 1)})` : 'no boundary in view'}`;
  }).join('; ');
  const statusText =
    status === 'running'
      ? 'Training…'
      : status === 'done'
        ? `Finished: ${RACE_MAX_STEPS} steps.`
        : `Paused at step ${stepNow}.`;

  return (
    <FigureFrame
      id="bridge"
      reveal={['easyNeg', 'hardNeg', 'pos'].flatMap((g) => [`loss-focal-${g}`, `grad-focal-${g}`])}
      title={title}
      computeMs={built?.ms}
      error={built?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={bridgeSchema[0]}
            value={gamma}
            onChange={(v) => setState({ gamma: v })}
            format={(v) => `γ = ${fmtFixed(v, 1)}`}
          />
          <Slider
            spec={bridgeSchema[1]}
            value={alpha}
            onChange={(v) => setState({ alpha: v })}
            format={(v) => `α = ${fmtFixed(v, 2)}`}
          />
          <Slider
            spec={bridgeSchema[2]}
            value={neg}
            onChange={(v) => setState({ neg: v })}
            format={(v) => `${fmtCount(v)} negatives`}
          />
          <Slider
            spec={bridgeSchema[3]}
            value={seed}
            onChange={(v) => setState({ seed: v })}
            format={(v) => `seed ${v}`}
          />
          <div className="figure__tool-buttons bridge__buttons">
            {status === 'running' ? (
              <button type="button" className="figure__tool" data-action="pause" onClick={pause}>
                Pause
              </button>
            ) : (
              <button
                type="button"
                className="figure__tool"
                data-action="play"
                onClick={play}
                disabled={!race || status === 'done'}
              >
                Play
              </button>
            )}
            <button
              type="button"
              className="figure__tool"
              data-action="step"
              onClick={step}
              disabled={!race || status === 'done'}
            >
              Step +{STEP_CHUNK}
            </button>
            <button
              type="button"
              className="figure__tool"
              data-action="reset"
              onClick={reset}
              disabled={!race}
            >
              Reset
            </button>
          </div>
          <p className="figure__status" role="status" data-status={status}>
            {race ? statusText : ''}
          </p>
        </>
      }
      legend={
        <Legend
          label="Decision boundaries and points"
          items={[
            ...LOSS_KINDS.map(({ key, label }) => ({
              key,
              label: `${label} boundary${key === 'focal' ? ` (γ = ${fmtFixed(gamma, 1)})` : ''}`,
              ...LINE_STYLE[key],
            })),
            { key: 'neg', label: 'negatives', color: 'var(--series-6)', kind: 'swatch' as const },
            { key: 'pos', label: 'positives (triangles)', color: 'var(--series-3)', kind: 'swatch' as const },
          ]}
        />
      }
      readouts={
        <>
          <p className="readout readout--wide" data-readout="summary">
            Step <strong>{stepNow}</strong> of {RACE_MAX_STEPS}. Easy negatives carry{' '}
            <strong>{fmtPercent(share('ce', 'gradShare', 'easyNeg'))}</strong> of CE&apos;s gradient,{' '}
            {fmtPercent(share('alpha_ce', 'gradShare', 'easyNeg'))} of α-CE&apos;s and{' '}
            <strong>{fmtPercent(share('focal', 'gradShare', 'easyNeg'))}</strong> of FL&apos;s.
          </p>
          <div
            className="readout readout--wide readout--scroll"
            data-readout="models"
            tabIndex={0}
            role="region"
            aria-label="Each model at the current step"
          >
            <table className="readout__table">
              <caption className="sr-only">Each model at the current step</caption>
              <thead>
                <tr>
                  <th scope="col">Loss</th>
                  <th scope="col">its loss</th>
                  <th scope="col">easy-negative share of loss</th>
                  <th scope="col">of gradient</th>
                  <th scope="col">positives above 0.5</th>
                  <th scope="col">negatives above 0.5</th>
                </tr>
              </thead>
              <tbody>
                {LOSS_KINDS.map(({ key, label }) => {
                  const m = model(key);
                  return (
                    <tr key={key}>
                      <th scope="row">{label}</th>
                      <td>{fmt(m?.loss, 3)}</td>
                      <td>{fmtPercent(m?.lossShare.easyNeg, 3)}</td>
                      <td>{fmtPercent(m?.gradShare.easyNeg, 3)}</td>
                      <td>{m ? `${m.truePositives} of ${n}` : fmt(NaN)}</td>
                      <td>{fmtCount(m?.falsePositives)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      }
      caption={
        <>
          {n} positives (triangles) and {fmtCount(neg)} negatives (dots; 5% of them drawn near the positives),
          point cloud seed {seed}. Three logistic-regression classifiers p = σ(w₁u + w₂v + b) start from the
          paper&apos;s prior (w = 0, every point at p = {RACE_PRIOR}, §3.3) and train side by side by
          full-batch gradient descent with momentum on the summed loss divided by the number of positives
          (§4.1): CE, α-CE (α = {fmtFixed(alpha, 2)}) and FL (γ = {fmtFixed(gamma, 1)}, α ={' '}
          {fmtFixed(alpha, 2)}). Lines: each model&apos;s decision boundary p = 0.5. Bars: the share of the
          summed loss and of the summed gradient magnitude Σ|dL/dx| coming from easy negatives (p_t &gt;{' '}
          {EASY_PT}), hard negatives (p_t ≤ {EASY_PT}) and positives, at the current step. Computed live in
          your browser by the site&apos;s loss core (the loss and dL/dx of each setting tabulated by
          TensorFlow.js, read per point). Training pauses when the figure is off screen; with reduced motion
          it starts paused.
        </>
      }
      table={[
        {
          caption: 'Loss and gradient by model and group at the current step (normalised by the positives)',
          name: 'shares',
          columns: [
            { key: 'kind', label: 'Loss' },
            { key: 'group', label: 'Group' },
            { key: 'count', label: 'Points' },
            { key: 'loss', label: 'Σ loss' },
            { key: 'lshare', label: 'loss share' },
            { key: 'grad', label: 'Σ |dL/dx|' },
            { key: 'gshare', label: 'gradient share' },
          ],
          rows: () =>
            LOSS_KINDS.flatMap((k) =>
              EXAMPLE_GROUPS.map((g) => {
                const m = model(k.key);
                return [
                  k.label,
                  g.label,
                  fmtCount(m?.groups[g.key].count),
                  fmt(m?.groups[g.key].loss, 4),
                  fmtPercent(m?.lossShare[g.key], 4),
                  fmt(m?.groups[g.key].grad, 4),
                  fmtPercent(m?.gradShare[g.key], 4),
                ];
              }),
            ),
        },
        {
          caption: 'Decision boundaries w₁u + w₂v + b = 0 at the current step',
          name: 'boundaries',
          columns: [
            { key: 'kind', label: 'Loss' },
            { key: 'w1', label: 'w₁' },
            { key: 'w2', label: 'w₂' },
            { key: 'b', label: 'b' },
          ],
          rows: () =>
            LOSS_KINDS.map((k) => {
              const m = model(k.key);
              return [k.label, fmt(m?.w1, 4), fmt(m?.w2, 4), fmt(m?.b, 4)];
            }),
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        <div className="bridge__scatter" style={{ width: size + M.left + M.right }}>
          <BridgeNegatives left={M.left} top={M.top} data={data} size={size} theme={theme} />
          <svg
            width={size + M.left + M.right}
            height={size + M.top + M.bottom}
            viewBox={`0 0 ${size + M.left + M.right} ${size + M.top + M.bottom}`}
            role="img"
            aria-label={`Points and decision boundaries at step ${stepNow}: ${boundaryText}`}
          >
            <title>Points and the three decision boundaries</title>
            <g transform={`translate(${M.left},${M.top})`}>
              <Axis scale={x} orient="bottom" offset={size} tickValues={TICKS} label="feature u" />
              <Axis scale={y} orient="left" offset={0} tickValues={TICKS} label="feature v" />
              <rect className="bridge__frame" x={0} y={0} width={size} height={size} />
              {data &&
                Array.from({ length: data.numPositives }, (_, i) => {
                  const cx = x(data.u[i]);
                  const cy = y(data.v[i]);
                  return (
                    <path
                      key={i}
                      className="bridge__positive"
                      d={`M${cx.toFixed(1)},${(cy - 6).toFixed(1)}l5.5,9.5h-11z`}
                      fill="var(--series-3)"
                    />
                  );
                })}
              {LOSS_KINDS.map(({ key }) => {
                const m = model(key);
                const seg = m && decisionBoundary(m, BRIDGE_EXTENT);
                const s = LINE_STYLE[key];
                return (
                  <path
                    key={key}
                    data-series={`boundary-${key}`}
                    className="bridge__boundary"
                    d={
                      seg
                        ? `M${x(seg[0][0]).toFixed(2)},${y(seg[0][1]).toFixed(2)}L${x(seg[1][0]).toFixed(2)},${y(seg[1][1]).toFixed(2)}`
                        : ''
                    }
                    stroke={s.color}
                    strokeDasharray={s.dash}
                    strokeWidth={s.width}
                    fill="none"
                  />
                );
              })}
            </g>
          </svg>
        </div>
        <div className="figure__plots">
          {(['loss', 'grad'] as const).map((metric) => (
            <div key={metric}>
              <p className="figure__subtitle">
                {metric === 'loss' ? 'Share of the loss' : 'Share of the gradient magnitude Σ|dL/dx|'}
              </p>
              <StackedBars
                width={barWidth}
                rows={
                  models.length ? groupBars(metric, (k, g) => model(k)?.groups[g][metric] ?? 0, true) : []
                }
                max={1}
                format={(v) => fmtPercent(v, 2)}
                segmentText={(s) => fmtPercent(s.value, 2)}
                xLabel={`share of the total ${metric === 'loss' ? 'loss' : 'gradient'}`}
                title={metric === 'loss' ? 'Loss by group' : 'Gradient by group'}
              />
            </div>
          ))}
        </div>
        <Legend
          items={EXAMPLE_GROUPS.map((g) => ({
            key: g.key,
            label:
              g.key === 'pos' ? g.label : `${g.label} (p_t ${g.key === 'easyNeg' ? '>' : '≤'} ${EASY_PT})`,
            color: g.color,
            kind: 'swatch' as const,
            hatch: g.hatch,
          }))}
          label="Bar segments"
        />
      </div>
    </FigureFrame>
  );
}
