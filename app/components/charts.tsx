import { useId } from "react";

/**
 * Server-rendered SVG charts: no client library, readable without
 * JavaScript. Each chart is an image with a <title>/<desc> for screen readers,
 * followed by the same numbers as a table (the accessible fallback).
 */
export type Datum = { label: string; value: number; display: string };

type ChartProps = {
  title: string;
  description: string;
  data: Datum[];
  /** Header of the fallback table's columns. */
  columns: [string, string];
  tableLabel: string;
};

const W = 640;
const H = 260;
const PAD = { top: 16, right: 12, bottom: 44, left: 12 };

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

export function BarChart({ title, description, data, columns, tableLabel }: ChartProps) {
  const id = useId();
  const max = Math.max(1, ...data.map((d) => d.value));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, data.length);
  const barW = Math.min(72, slot * 0.6);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="chart-axis" />
        {data.map((d, i) => {
          const h = (d.value / max) * innerH;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          const y = H - PAD.bottom - h;
          return (
            <g key={d.label}>
              <rect x={x} y={y} width={barW} height={Math.max(0, h)} rx={3} className={`chart-bar chart-bar-${i}`} />
              <text x={x + barW / 2} y={Math.max(12, y - 4)} textAnchor="middle" className="chart-value">
                {d.display}
              </text>
              <text x={x + barW / 2} y={H - PAD.bottom + 18} textAnchor="middle" className="chart-label">
                {d.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="visually-hidden">{title}</figcaption>
      <details className="chart-data">
        <summary>{tableLabel}</summary>
        <DataTable caption={title} columns={columns} data={data} />
      </details>
    </figure>
  );
}

export function LineChart({ title, description, data, columns, tableLabel }: ChartProps) {
  const id = useId();
  const max = Math.max(1, ...data.map((d) => d.value));
  const innerW = W - PAD.left - PAD.right - 8;
  const innerH = H - PAD.top - PAD.bottom;
  const step = data.length > 1 ? innerW / (data.length - 1) : 0;
  const points = data.map((d, i) => ({ x: PAD.left + 4 + i * step, y: H - PAD.bottom - (d.value / max) * innerH, d }));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="chart-axis" />
        <path d={path} className="chart-line" fill="none" />
        {points.map((p, i) => (
          <g key={p.d.label}>
            <circle cx={p.x} cy={p.y} r={4} className="chart-dot">
              <title>{`${p.d.label} : ${p.d.display}`}</title>
            </circle>
            {i % 2 === data.length % 2 ? null : (
              <text x={p.x} y={H - PAD.bottom + 18} textAnchor="middle" className="chart-label">
                {p.d.label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption className="visually-hidden">{title}</figcaption>
      <details className="chart-data">
        <summary>{tableLabel}</summary>
        <DataTable caption={title} columns={columns} data={data} />
      </details>
    </figure>
  );
}
