import { ceilingProblem, contentWithinCeiling } from './partner-grant.messages';

// The TLP ceiling rule of partner grants, without infrastructure (the API applies it on create).
describe('partner grant ceiling rule', () => {
  it('never lets the ceiling rise above the item\'s marking', () => {
    expect(ceilingProblem({ ceiling: 'TLP:AMBER', namedSubs: [], itemTlp: 'TLP:GREEN' })).toMatch(/above the item's marking TLP:GREEN/);
    expect(ceilingProblem({ ceiling: 'TLP:GREEN', namedSubs: [], itemTlp: 'TLP:AMBER' })).toBeNull();
    expect(ceilingProblem({ ceiling: 'TLP:AMBER', namedSubs: [], itemTlp: 'TLP:AMBER' })).toBeNull();
  });

  it('gives TLP:RED only to named partner individuals, on items and operations alike', () => {
    expect(ceilingProblem({ ceiling: 'TLP:RED', namedSubs: [], itemTlp: 'TLP:RED' })).toMatch(/namedSubs/);
    expect(ceilingProblem({ ceiling: 'TLP:RED', namedSubs: [] })).toMatch(/namedSubs/);
    expect(ceilingProblem({ ceiling: 'TLP:RED', namedSubs: ['a@partner.example'], itemTlp: 'TLP:RED' })).toBeNull();
  });

  it('opens TLP:AMBER+STRICT content to a partner only from its originator', () => {
    expect(ceilingProblem({ ceiling: 'TLP:AMBER+STRICT', namedSubs: [], itemTlp: 'TLP:AMBER+STRICT', granterIsOriginator: false })).toMatch(/originator/);
    expect(ceilingProblem({ ceiling: 'TLP:AMBER+STRICT', namedSubs: [], itemTlp: 'TLP:AMBER+STRICT', granterIsOriginator: true })).toBeNull();
    // Below the marking nothing of the content goes out, so no approval is needed.
    expect(ceilingProblem({ ceiling: 'TLP:AMBER', namedSubs: [], itemTlp: 'TLP:AMBER+STRICT', granterIsOriginator: false })).toBeNull();
  });

  it('serves content only at or below the ceiling', () => {
    expect(contentWithinCeiling('TLP:GREEN', 'TLP:AMBER')).toBe(true);
    expect(contentWithinCeiling('TLP:AMBER', 'TLP:AMBER')).toBe(true);
    expect(contentWithinCeiling('TLP:AMBER+STRICT', 'TLP:AMBER')).toBe(false);
    expect(contentWithinCeiling('TLP:RED', 'TLP:AMBER+STRICT')).toBe(false);
  });
});
