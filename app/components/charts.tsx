import { useId } from "react";

/**
 * Server-rendered SVG charts: no client library, readable without
 * JavaScript. Each chart is an image with a <title>/<desc> for screen readers,
 * a value axis with its unit and graduations, a labelled category axis, and
 * the same numbers as a table (the accessible fallback). The drawing is 420
 * units wide and capped in CSS, so its text stays 11–18 px from a phone to a
 * wide screen; a bar's own label is the short form ("12,4 k€"), the table has
 * the exact figure.
 */
export type Datum = { label: string; value: number; display: string; short?: string };

type ChartProps = {
  title: string;
  description: string;
  data: Datum[];
  /** Header of the fallback table's columns. */
  columns: [string, string];
  tableLabel: string;
  /** Axis titles (the value axis names its unit) and the graduation format. */
  axis: { x: string; y: string; tick: (value: number) => string };
};

const W = 420;
const H = 270;
const PAD = { top: 30, right: 10, bottom: 50, left: 62 };
const INNER_W = W - PAD.left - PAD.right;
const INNER_H = H - PAD.top - PAD.bottom;
/** Room a category label needs (units), to decide how many labels fit. */
const LABEL_ROOM = 44;

/** 0 and 3–5 round graduations covering the largest value (steps of 1, 2 or 5 × 10ⁿ). */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}

function DataTable({ caption, columns, data }: { caption: string; columns: [string, string]; data: Datum[] }) {
  return (
    <table className="chart-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{columns[0]}</th>
          <th scope="col" className="num">
            {columns[1]}
          </th>
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.label}>
            <th scope="row">{d.label}</th>
            <td className="num">{d.display}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The frame both charts share: value axis with graduations and unit, category axis and its title. */
function Axes({ ticks, top, axis }: { ticks: number[]; top: number; axis: ChartProps["axis"] }) {
  const y = (v: number) => PAD.top + INNER_H - (v / top) * INNER_H;
  return (
    <g>
      <text x={4} y={14} className="chart-axis-title">
        {axis.y}
      </text>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className={v === 0 ? "chart-axis" : "chart-grid"} />
          <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-tick">
            {axis.tick(v)}
          </text>
        </g>
      ))}
      <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + INNER_H} className="chart-axis" />
      <text x={PAD.left + INNER_W / 2} y={H - 6} textAnchor="middle" className="chart-axis-title">
        {axis.x}
      </text>
    </g>
  );
}

function Figure({
  id,
  title,
  description,
  data,
  columns,
  tableLabel,
  children,
}: Omit<ChartProps, "axis"> & { id: string; children: React.ReactNode }) {
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {children}
      </svg>
      <figcaption className="visually-hidden">{title}</figcaption>
      <details className="chart-data">
        <summary>{tableLabel}</summary>
        <DataTable caption={title} columns={columns} data={data} />
      </details>
    </figure>
  );
}

export function BarChart({ axis, ...props }: ChartProps) {
  const id = useId();
  const { data } = props;
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.value)));
  const top = ticks[ticks.length - 1]!;
  const slot = INNER_W / Math.max(1, data.length);
  const barW = Math.min(48, slot * 0.6);
  return (
    <Figure id={id} {...props}>
      <Axes ticks={ticks} top={top} axis={axis} />
      {data.map((d, i) => {
        const h = (Math.max(0, d.value) / top) * INNER_H;
        const cx = PAD.left + i * slot + slot / 2;
        const y = PAD.top + INNER_H - h;
        return (
          <g key={d.label}>
            <rect x={cx - barW / 2} y={y} width={barW} height={h} rx={3} className={`chart-bar chart-bar-${i}`}>
              <title>{`${d.label} : ${d.display}`}</title>
            </rect>
            <text x={cx} y={Math.max(PAD.top - 4, y - 5)} textAnchor="middle" className="chart-value">
              {d.short ?? d.display}
            </text>
            <text x={cx} y={PAD.top + INNER_H + 18} textAnchor="middle" className="chart-label">
              {d.label}
            </text>
          </g>
        );
      })}
    </Figure>
  );
}

export function LineChart({ axis, ...props }: ChartProps) {
  const id = useId();
  const { data } = props;
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.value)));
  const top = ticks[ticks.length - 1]!;
  const inset = 12;
  const step = data.length > 1 ? (INNER_W - 2 * inset) / (data.length - 1) : 0;
  // Every n-th category label, counted from the most recent, so labels never overlap.
  const every = Math.max(1, Math.ceil(LABEL_ROOM / Math.max(1, step)));
  const points = data.map((d, i) => ({
    x: PAD.left + inset + i * step,
    y: PAD.top + INNER_H - (Math.max(0, d.value) / top) * INNER_H,
    d,
    i,
  }));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
  return (
    <Figure id={id} {...props}>
      <Axes ticks={ticks} top={top} axis={axis} />
      <path d={path} className="chart-line" fill="none" />
      {points.map((p) => (
        <g key={p.d.label}>
          <circle cx={p.x} cy={p.y} r={3.5} className="chart-dot">
            <title>{`${p.d.label} : ${p.d.display}`}</title>
          </circle>
          {(data.length - 1 - p.i) % every === 0 ? (
            <text x={p.x} y={PAD.top + INNER_H + 18} textAnchor="middle" className="chart-label">
              {p.d.label}
            </text>
          ) : null}
        </g>
      ))}
    </Figure>
  );
}
