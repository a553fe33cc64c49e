import type { ReactNode } from 'react';
import { fmt } from '@/lib/params/format';

export interface ReadoutRow {
  key: string;
  label: string;
  value: number | undefined;
}

/** The exact values under the crosshair (or at its resting position), as a small table. */
export default function CrosshairReadout({
  heading,
  rows,
  digits = 4,
}: {
  heading: ReactNode;
  rows: ReadoutRow[];
  digits?: number;
}) {
  return (
    <div className="readout" data-readout="crosshair">
      <strong>{heading}</strong>
      <table className="readout__table">
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td>{fmt(r.value, digits)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
