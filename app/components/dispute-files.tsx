import { makeT } from "~/i18n";
import { useRootLocale } from "~/root";

/** Files the debtor attached to a dispute, downloadable by the creditor's staff. */
export function DisputeFiles({ files }: { files: { id: string; fileName: string; size: number }[] }) {
  const locale = useRootLocale();
  const t = makeT(locale);
  if (files.length === 0) return null;
  return (
    <div>
      <p className="muted">{t("bo.inbox.attachments")}</p>
      <ul>
        {files.map((f) => (
          <li key={f.id}>
            <a href={`/app/attachments/${f.id}`} download>
              {t("bo.inbox.download", { file: f.fileName, kb: Math.max(1, Math.ceil(f.size / 1024)) })}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
