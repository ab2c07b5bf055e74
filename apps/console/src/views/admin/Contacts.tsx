import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useLoad } from '../../api/hooks';
import type { Contact, Page } from '../../api/models';
import { REGIONS } from '../../api/vocabulary';
import { Empty, ErrorMessage, Loading } from '../../ui/common';

/** The 24/7 contact network: each country's chain in escalation order, and the regional officers. */
export function Contacts() {
  const { t } = useTranslation();
  const [region, setRegion] = useState<(typeof REGIONS)[number]>('EURASIA');
  const [country, setCountry] = useState('');
  const list = useLoad(() => unwrap<Page<Contact>>(api.GET('/api/v1/contacts', { params: { query: country ? { country } : { region } } })), [region, country]);
  return (
    <>
      <h1>{t('contacts.title')}</h1>
      <div className="filters">
        <label>
          {t('surge.region')}{' '}
          <select value={region} onChange={(e) => setRegion(e.target.value as typeof region)}>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {t(`region.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('contacts.country')}{' '}
          <input value={country} onChange={(e) => setCountry(e.target.value.toUpperCase().slice(0, 2))} size={3} placeholder="PH" />
        </label>
      </div>
      {list.error && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {!list.data ? (
        !list.error && <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('contacts.none')}</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('contacts.country')}</th>
              <th scope="col">{t('contacts.rank')}</th>
              <th scope="col">{t('contacts.role')}</th>
              <th scope="col">{t('contacts.name')}</th>
              <th scope="col">{t('contacts.channel')}</th>
              <th scope="col">{t('contacts.address')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.id}>
                <td>{c.countryIso ?? c.region}</td>
                <td>{c.rank}</td>
                <td>{t(`contactRole.${c.role}` as 'contactRole.primary')}</td>
                <td>{c.name}</td>
                <td>{c.channel}</td>
                <td>
                  <code>{c.address}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
