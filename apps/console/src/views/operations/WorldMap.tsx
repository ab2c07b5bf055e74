import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import countries from 'i18n-iso-countries/codes.json';
import atlas from 'world-atlas/countries-50m.json';
import { COUNTRY_STATUSES } from '../../api/vocabulary';

const WIDTH = 960;
const HEIGHT = 470;

// ISO 3166 numeric (the atlas's ids) to alpha-2 (the API's country codes).
const ALPHA2_BY_NUMERIC = new Map((countries as string[][]).map(([alpha2, , numeric]) => [numeric, alpha2]));

interface Shape {
  iso: string | undefined;
  name: string;
  d: string;
}

/** Drawn offline from world-atlas (Natural Earth 1:50m); loaded only with the surge board. */
export default function WorldMap({ states, label }: { states: Record<string, string>; label: string }) {
  const { t } = useTranslation();
  const shapes = useMemo<Shape[]>(() => {
    const topology = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    const collection = feature(topology, topology.objects.countries);
    const projection = geoEqualEarth().fitSize([WIDTH, HEIGHT], collection);
    const path = geoPath(projection);
    return collection.features.map((f) => ({ iso: ALPHA2_BY_NUMERIC.get(String(f.id)), name: f.properties?.name ?? '', d: path(f) ?? '' }));
  }, []);
  const present = COUNTRY_STATUSES.filter((s) => Object.values(states).includes(s));
  return (
    <figure className="map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid="world-map">
        {shapes.map((s, i) => {
          const state = s.iso ? states[s.iso] : undefined;
          return (
            <path key={i} d={s.d} className={state ? `country state-${state}` : 'country'} data-iso={s.iso}>
              <title>{`${s.name}${state ? `: ${t(`countryStatus.${state}` as 'countryStatus.ready')}` : ''}`}</title>
            </path>
          );
        })}
      </svg>
      <figcaption className="legend">
        {present.map((s) => (
          <span key={s}>
            <i className={`swatch state-${s}`} aria-hidden="true" /> {t(`countryStatus.${s}`)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
