import { describe, expect, it } from 'vitest';
import { formatBytes, formatCamera, formatExposure, formatWeather, formatWeatherDetails, groupByDay, osmUrl } from './format';

const photo = (id: string, takenAt: string | null, timelineAt: string) => ({ id, takenAt, timelineAt });

describe('groupByDay', () => {
  it('groups consecutive photos by the day they were taken, keeping the order, and those without a date apart', () => {
    const groups = groupByDay([
      photo('0', null, '2024-03-14T08:00:00Z'),
      photo('1', '2024-03-12T18:00:00+01:00', '2024-03-12T17:00:00Z'),
      photo('2', '2024-03-12T09:30:00', '2024-03-12T09:30:00Z'),
      photo('3', '2024-03-10T23:59:00-08:00', '2024-03-11T07:59:00Z'),
      photo('4', null, '2023-12-25T12:00:00Z'),
      photo('5', null, '2023-12-24T12:00:00Z'),
    ], new Date(2026, 0, 1));
    expect(groups.map((g) => [g.key, g.month, g.label, g.items.map((p) => p.id)])).toEqual([
      // A scan or a screenshot is not filed under the day it was added.
      ['unknown-0', null, 'Unknown date', ['0']],
      ['2024-03-12', '2024-03', expect.stringMatching(/^Tuesday,? 12 March 2024$/), ['1', '2']],
      // The camera's wall-clock day, not the UTC day.
      ['2024-03-10', '2024-03', expect.stringMatching(/10 March 2024$/), ['3']],
      ['unknown-3', null, 'Unknown date', ['4', '5']],
    ]);
  });

  it("calls the browser's today and yesterday so", () => {
    const now = new Date(2024, 2, 12, 23, 30);
    expect(groupByDay([photo('1', '2024-03-12T09:30:00', ''), photo('2', '2024-03-11T09:30:00', ''), photo('3', '2024-03-10T09:30:00', '')], now)
      .map((g) => g.label)).toEqual(['Today', 'Yesterday', expect.stringMatching(/^Sunday,? 10 March 2024$/)]);
  });

  it('returns no groups for no photos', () => {
    expect(groupByDay([])).toEqual([]);
  });
});

describe('formatBytes', () => {
  it('says bytes in the unit a person reads, up to gigabytes for a library', () => {
    expect([512, 5_000, 3_500_000, 52_000_000_000].map(formatBytes)).toEqual(['512 B', '5 KB', '3.3 MB', '48.4 GB']);
  });
});

describe('metadata formatting', () => {
  it('joins make and model without repeating the make', () => {
    const base = { lens: null, exposureTime: null, fNumber: null, iso: null, focalLengthMm: null };
    expect(formatCamera({ ...base, make: 'Canon', model: 'Canon EOS R6' })).toBe('Canon EOS R6');
    expect(formatCamera({ ...base, make: 'FUJIFILM', model: 'X-T4' })).toBe('FUJIFILM X-T4');
    expect(formatCamera({ ...base, make: null, model: null })).toBeNull();
  });

  it('formats exposure and map links', () => {
    expect(formatExposure({ make: null, model: null, lens: null, exposureTime: '1/250', fNumber: 2.8, iso: 200, focalLengthMm: 35 })).toBe('1/250 s · f/2.8 · ISO 200 · 35 mm');
    expect(osmUrl(52.37, 4.9)).toBe('https://www.openstreetmap.org/?mlat=52.37000&mlon=4.90000#map=15/52.37000/4.90000');
  });
});

describe('formatWeather', () => {
  const clear = {
    hour: '2020-09-02T17:00:00Z', temperature: { value: -3.04, unit: '°C' }, weatherCode: 0, condition: 'Clear sky', icon: 'clear',
    precipitation: { value: 0, unit: 'mm' }, cloudCover: null, wind: { value: 14.4, unit: 'km/h' },
  };

  it('reads temperature and condition, then what else the provider knew', () => {
    expect(formatWeather(clear)).toBe('-3 °C, Clear sky');
    expect(formatWeatherDetails(clear)).toBe('0 mm precipitation · wind 14.4 km/h');
  });

  it('leaves out an unknown temperature', () => {
    expect(formatWeather({ ...clear, temperature: null })).toBe('Clear sky');
  });
});
