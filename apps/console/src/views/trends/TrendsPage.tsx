import { useEffect, useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartData, type ChartOptions } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { api, unwrap } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Country, Page } from '../../api/models';
import { CATEGORIES, REGIONS, RESULT_KINDS } from '../../api/vocabulary';
import { pathsApiV1RegionsTrendsGetParametersQueryIntervalValues as INTERVALS } from '../../../generated/api';
import { useSession, type Claims } from '../../auth/session';
import { ErrorMessage, Loading } from '../../ui/common';
import { locale, localDateTime, number } from '../../ui/format';
import { COLUMNS, regionRows, toCsv, type Column, type RegionTrends, type Row } from './trendTable';

// Only what these charts draw (tree-shaken Chart.js); the view itself is a lazy chunk.
Chart.register(BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

type Interval = (typeof INTERVALS)[number];
const ALL = 'ALL';
/** Colour-blind-safe (Okabe-Ito), each at least 3:1 against white. */
const COLOURS = { blue: '#0072B2', orange: '#D55E00', green: '#009E73', purple: '#CC79A7', grey: '#6b6b6b', yellow: '#B8860B' };

/** Whom the API lets read all regions side by side (the rest read their own region). */
const readsAll = (c: Claims) => c.role === 'supervisor' || c.role === 'analyst' || (c.role === 'coordinator' && !c.region);

const monthValue = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
function defaultPeriod(): { from: string; to: string } {
  const now = new Date();
  return { from: monthValue(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1))), to: monthValue(now) };
}
/** `2026-03` → the instant it starts; `end` → the start of the month after. */
const monthInstant = (month: string, end = false) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + (end ? 1 : 0), 1)).toISOString();
};

/** Regional trend assessment: charts a head of unit reads in a minute, a CSV of what is shown, and a printable report. */
export default function TrendsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const claims = session!.claims;
  const [params, setParams] = useSearchParams();
  const defaults = useMemo(defaultPeriod, []);
  const own = useOwnRegion(claims);
  const global = readsAll(claims);
  const region = params.get('region') ?? (global ? ALL : own);
  const from = params.get('from') ?? defaults.from;
  const to = params.get('to') ?? defaults.to;
  const interval = (params.get('interval') ?? 'month') as Interval;
  const set = (key: string, value: string) => setParams((p) => (p.set(key, value), p), { replace: true });

  const query = { from: monthInstant(from), to: monthInstant(to, true), interval };
  const trends = useLoad<RegionTrends[] | undefined>(
    async () => {
      if (!region) return undefined;
      if (region === ALL) return (await unwrap<{ regions: RegionTrends[] }>(api.GET('/api/v1/regions/trends', { params: { query } }))).regions;
      return [await unwrap<RegionTrends>(api.GET('/api/v1/regions/{region}/trends', { params: { path: { region: region as RegionTrends['region'] }, query } }))];
    },
    [region, from, to, interval],
  );

  const regionName = region === ALL ? t('trends.allRegions') : region ? t(`region.${region as 'AFRICA'}`) : '';
  const periodText = t('trends.periodText', { from: monthLabel(from), to: monthLabel(to) });
  const rows: Row[] = trends.data ? (region === ALL ? trends.data.map((r) => ({ region: r.region, start: r.from, end: r.to, figures: r.period })) : regionRows(trends.data[0])) : [];
  const download = () => {
    const url = URL.createObjectURL(new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `trends-${region === ALL ? 'all-regions' : region}-${from}-${to}-${interval}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="trends">
      <h1>{t('trends.title')}</h1>
      <form className="trend-controls no-print" onSubmit={(e) => e.preventDefault()} aria-label={t('trends.controls')}>
        <Control label={t('trends.region')}>
          {(id) => (
            <select id={id} value={region ?? ''} onChange={(e) => set('region', e.target.value)} disabled={!global}>
              {global && <option value={ALL}>{t('trends.allRegions')}</option>}
              {(global ? REGIONS : own ? [own] : []).map((r) => (
                <option key={r} value={r}>
                  {t(`region.${r as 'AFRICA'}`)}
                </option>
              ))}
            </select>
          )}
        </Control>
        <Control label={t('trends.from')}>
          {(id) => (
            <input id={id} type="month" value={from} max={to} onChange={(e) => e.target.value && set('from', e.target.value)} />
          )}
        </Control>
        <Control label={t('trends.to')}>
          {(id) => (
            <input id={id} type="month" value={to} min={from} onChange={(e) => e.target.value && set('to', e.target.value)} />
          )}
        </Control>
        <Control label={t('trends.interval')}>
          {(id) => (
            <select id={id} value={interval} onChange={(e) => set('interval', e.target.value)}>
              {INTERVALS.map((i) => (
                <option key={i} value={i}>
                  {t(`trends.intervals.${i}`)}
                </option>
              ))}
            </select>
          )}
        </Control>
        <button type="button" onClick={download} disabled={!rows.length}>
          {t('trends.csv')}
        </button>
        <button type="button" onClick={() => window.print()} disabled={!rows.length}>
          {t('trends.print')}
        </button>
      </form>
      {trends.error && <ErrorMessage error={trends.error} onRetry={trends.reload} />}
      {!trends.data && !trends.error && <Loading />}
      {trends.data && (
        <article className="report" data-testid="trend-report" aria-labelledby="report-title">
          <header className="report-head">
            <h2 id="report-title">
              {t('trends.reportTitle', { region: regionName })} · {periodText}
            </h2>
            <p className="print-only">{t('trends.generated', { at: localDateTime(new Date().toISOString()), interval: t(`trends.intervals.${interval}`) })}</p>
          </header>
          {region === ALL ? <AllRegions regions={trends.data} /> : <OneRegion trends={trends.data[0]} interval={interval} />}
          <FigureTables
            rows={rows}
            label={(r) => (region === ALL ? t(`region.${r.region as 'AFRICA'}`) : r.figures === trends.data![0].period ? t('trends.wholePeriod') : bucketLabel(r.start, interval))}
          />
        </article>
      )}
    </div>
  );
}

/** A labelled control of the report options (the label names the control alone, not its options). */
function Control({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="control">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

/** A member's region is its country's; a regional coordinator's is in its token. */
function useOwnRegion(claims: Claims): string | undefined {
  const countries = useLoad(
    () => (claims.role === 'member' ? unwrap<Page<Country>>(api.GET('/api/v1/countries')) : Promise.resolve(undefined)),
    [claims.role],
  );
  if (claims.role === 'coordinator') return claims.region ?? undefined;
  return countries.data?.items.find((c) => c.iso === claims.country)?.region;
}

function monthLabel(month: string): string {
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(monthInstant(month)));
}

function bucketLabel(start: string, interval: Interval): string {
  const at = new Date(start);
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale(), { ...o, timeZone: 'UTC' }).format(at);
  switch (interval) {
    case 'year':
      return f({ year: 'numeric' });
    case 'quarter':
      return `Q${Math.floor(at.getUTCMonth() / 3) + 1} ${at.getUTCFullYear()}`;
    case 'month':
      return f({ month: 'short', year: 'numeric' });
    default:
      return f({ day: 'numeric', month: 'short', year: 'numeric' });
  }
}

const BASE: ChartOptions<'bar'> = {
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { position: 'bottom' } },
  scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
};
const STACKED: ChartOptions<'bar'> = { ...BASE, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } };
const HORIZONTAL: ChartOptions<'bar'> = { ...BASE, indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } };

/** A chart as an image with a one-line summary for screen readers; the tables below hold the figures. */
function ChartFigure({ title, summary, children }: { title: string; summary: string; children: (label: string) => ReactNode }) {
  return (
    <figure className="chart" data-testid="trend-chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">{children(`${title}. ${summary}`)}</div>
    </figure>
  );
}

function OneRegion({ trends, interval }: { trends: RegionTrends; interval: Interval }) {
  const { t } = useTranslation();
  const labels = trends.buckets.map((b) => bucketLabel(b.start, interval));
  const p = trends.period;
  const req = p.supportRequests.total;
  const ds = p.disseminations.total;
  const results = p.operations.results as Record<string, number>;
  const requests: ChartData<'bar' | 'line', number[], string> = {
    labels,
    datasets: [
      { type: 'bar', order: 1, label: t('trends.col.submitted'), data: trends.buckets.map((b) => b.supportRequests.total.submitted), backgroundColor: COLOURS.blue },
      { type: 'bar', order: 1, label: t('trends.col.resolved'), data: trends.buckets.map((b) => b.supportRequests.total.resolved), backgroundColor: COLOURS.green },
      // Lower order draws on top: the breach line over the bars.
      { type: 'line', order: 0, label: t('trends.col.slaBreached'), data: trends.buckets.map((b) => b.supportRequests.total.slaBreached), borderColor: COLOURS.orange, backgroundColor: COLOURS.orange },
    ],
  };
  const disseminations: ChartData<'bar', number[], string> = {
    labels,
    datasets: [
      { label: t('trends.col.ackInTime'), data: trends.buckets.map((b) => b.disseminations.total.acknowledgedInTime), backgroundColor: COLOURS.green },
      { label: t('trends.col.ackLate'), data: trends.buckets.map((b) => b.disseminations.total.acknowledgedLate), backgroundColor: COLOURS.yellow },
      { label: t('trends.col.overdue'), data: trends.buckets.map((b) => b.disseminations.total.overdue), backgroundColor: COLOURS.orange },
    ],
  };
  const categories: ChartData<'bar', number[], string> = {
    labels: CATEGORIES.map((c) => t(`category.${c}`)),
    datasets: [
      { label: t('trends.col.submitted'), data: CATEGORIES.map((c) => p.supportRequests.byCategory.find((x) => x.category === c)?.submitted ?? 0), backgroundColor: COLOURS.blue },
      { label: t('trends.intelByCategory'), data: CATEGORIES.map((c) => p.intel.byCategory.find((x) => x.category === c)?.disseminated ?? 0), backgroundColor: COLOURS.purple },
    ],
  };
  const operations: ChartData<'bar', number[], string> = {
    labels: RESULT_KINDS.map((k) => t(`result.${k}`)),
    datasets: [{ label: t('trends.resultsLabel', { count: p.operations.operations }), data: RESULT_KINDS.map((k) => results[k] ?? 0), backgroundColor: COLOURS.grey }],
  };
  const share = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)} %` : '—');
  return (
    <>
      <dl className="kpis" data-testid="trend-kpis">
        <Kpi label={t('trends.kpi.requests')} value={number(req.submitted)} detail={t('trends.kpi.resolved', { count: req.resolved })} />
        <Kpi label={t('trends.kpi.slaMet')} value={share(req.slaMet, req.resolved)} detail={t('trends.kpi.breached', { count: req.slaBreached })} />
        <Kpi label={t('trends.kpi.intel')} value={number(p.intel.total.disseminated)} detail={t('trends.kpi.contributed', { count: p.intel.total.contributed })} />
        <Kpi label={t('trends.kpi.ackInTime')} value={share(ds.acknowledgedInTime, ds.acknowledgedInTime + ds.acknowledgedLate + ds.overdue)} detail={t('trends.kpi.overdue', { count: ds.overdue })} />
        <Kpi label={t('trends.kpi.operations')} value={number(p.operations.operations)} detail={t('trends.kpi.arrests', { count: results.arrests ?? 0 })} />
      </dl>
      <div className="charts">
        <ChartFigure title={t('trends.chart.requests')} summary={t('trends.summary.requests', { submitted: req.submitted, resolved: req.resolved, breached: req.slaBreached })}>
          {(label) => <Bar data={requests as ChartData<'bar', number[], string>} options={BASE} role="img" aria-label={label} />}
        </ChartFigure>
        <ChartFigure title={t('trends.chart.disseminations')} summary={t('trends.summary.disseminations', { inTime: ds.acknowledgedInTime, late: ds.acknowledgedLate, overdue: ds.overdue })}>
          {(label) => <Bar data={disseminations} options={STACKED} role="img" aria-label={label} />}
        </ChartFigure>
        <ChartFigure title={t('trends.chart.categories')} summary={t('trends.summary.categories')}>
          {(label) => <Bar data={categories} options={HORIZONTAL} role="img" aria-label={label} />}
        </ChartFigure>
        <ChartFigure title={t('trends.chart.results')} summary={t('trends.summary.results', { count: p.operations.operations, arrests: results.arrests ?? 0 })}>
          {(label) => <Bar data={operations} options={HORIZONTAL} role="img" aria-label={label} />}
        </ChartFigure>
      </div>
    </>
  );
}

function Kpi({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd>
        <strong>{value}</strong> <span>{detail}</span>
      </dd>
    </div>
  );
}

function AllRegions({ regions }: { regions: RegionTrends[] }) {
  const { t } = useTranslation();
  const labels = regions.map((r) => t(`region.${r.region as 'AFRICA'}`));
  const requests: ChartData<'bar', number[], string> = {
    labels,
    datasets: [
      { label: t('trends.col.submitted'), data: regions.map((r) => r.period.supportRequests.total.submitted), backgroundColor: COLOURS.blue },
      { label: t('trends.col.resolved'), data: regions.map((r) => r.period.supportRequests.total.resolved), backgroundColor: COLOURS.green },
      { label: t('trends.col.slaBreached'), data: regions.map((r) => r.period.supportRequests.total.slaBreached), backgroundColor: COLOURS.orange },
    ],
  };
  const disseminations: ChartData<'bar', number[], string> = {
    labels,
    datasets: [
      { label: t('trends.col.ackInTime'), data: regions.map((r) => r.period.disseminations.total.acknowledgedInTime), backgroundColor: COLOURS.green },
      { label: t('trends.col.ackLate'), data: regions.map((r) => r.period.disseminations.total.acknowledgedLate), backgroundColor: COLOURS.yellow },
      { label: t('trends.col.overdue'), data: regions.map((r) => r.period.disseminations.total.overdue), backgroundColor: COLOURS.orange },
    ],
  };
  const summary = regions.map((r) => `${t(`region.${r.region as 'AFRICA'}`)} ${r.period.supportRequests.total.submitted}`).join(', ');
  return (
    <div className="charts">
      <ChartFigure title={t('trends.chart.requestsByRegion')} summary={summary}>
        {(label) => <Bar data={requests} options={BASE} role="img" aria-label={label} />}
      </ChartFigure>
      <ChartFigure title={t('trends.chart.disseminationsByRegion')} summary={t('trends.summary.seeTable')}>
        {(label) => <Bar data={disseminations} options={STACKED} role="img" aria-label={label} />}
      </ChartFigure>
    </div>
  );
}

/** The figures of every row shown, one table per section; the CSV holds exactly these. */
function FigureTables({ rows, label }: { rows: Row[]; label: (r: Row) => string }) {
  const { t } = useTranslation();
  const sections: Array<Column['section']> = ['requests', 'intel', 'operations'];
  useResizeForPrint();
  return (
    <>
      {sections.map((section) => {
        const columns = COLUMNS.filter((c) => c.section === section);
        return (
          <div className="table-scroll" key={section} tabIndex={0} role="region" aria-labelledby={`trend-${section}`}>
            <table className="data trend-table" data-testid={`trend-table-${section}`}>
              <caption id={`trend-${section}`}>{t(`trends.section.${section}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('trends.rowHead')}</th>
                  {columns.map((c) => (
                    <th scope="col" key={c.key}>
                      {t(`trends.col.${c.key as 'submitted'}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.region}/${r.start}/${r.end}`}>
                    <th scope="row">{label(r)}</th>
                    {columns.map((c) => {
                      const v = c.value(r.figures);
                      return <td key={c.key}>{v === null ? '—' : number(v)}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </>
  );
}

/** Canvas charts keep their screen size when printed unless told to resize. */
function useResizeForPrint() {
  useEffect(() => {
    const resize = () => Object.values(Chart.instances).forEach((c) => c.resize());
    window.addEventListener('beforeprint', resize);
    window.addEventListener('afterprint', resize);
    return () => {
      window.removeEventListener('beforeprint', resize);
      window.removeEventListener('afterprint', resize);
    };
  }, []);
}
