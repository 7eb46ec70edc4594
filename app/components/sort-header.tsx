import { Link, useLocation } from "@remix-run/react";
import { ariaSort, sortLink, type Sort } from "~/domain/lists";

/**
 * A sortable column header: a link to the same list ordered by this column
 * (the other way round when it already is), so sorting works without
 * JavaScript; `aria-sort` tells screen readers which column orders the rows.
 */
export function SortHeader({
  column,
  label,
  order,
  className,
  sortedLabel,
}: {
  column: string;
  label: string;
  order: Sort<string>;
  className?: string;
  /** "(ascending)" / "(descending)", read after the label of the sorted column. */
  sortedLabel: { asc: string; desc: string };
}) {
  const { search } = useLocation();
  const sorted = ariaSort(column, order);
  return (
    <th scope="col" className={className} aria-sort={sorted}>
      <Link to={sortLink(search, column, order)} className="sort-link">
        {label}
        {sorted ? (
          <>
            <span aria-hidden="true"> {order.dir === "asc" ? "▲" : "▼"}</span>
            <span className="visually-hidden"> {sortedLabel[order.dir]}</span>
          </>
        ) : null}
      </Link>
    </th>
  );
}
