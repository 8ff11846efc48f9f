// @vitest-environment happy-dom
import type { CreateScenarioRequest, CrmField } from '@orglink/shared';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiResult, failed, succeeded } from '../../api/api-result.ts';
import { onMessage } from '../../messaging.ts';
import { field } from '../activities/test-fields.ts';
import { sampleScenario } from '../duplicates/dc-fixtures.ts';
import { ScenarioEditor } from './scenario-editor.tsx';

let described: string[];
let fieldsAnswer: () => ApiResult<{ object: string; fields: CrmField[] }>;
let created: CreateScenarioRequest[];
beforeAll(() => {
  onMessage('getObjectFields', ({ data }) => {
    described.push(data.object);
    return fieldsAnswer();
  });
  onMessage('createDcScenario', ({ data }) => {
    created.push(data);
    return succeeded(sampleScenario({ id: 'sc-new', name: data.name, builtIn: false }));
  });
});

let container: HTMLElement;
beforeEach(() => {
  described = [];
  created = [];
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

async function settle() {
  for (let i = 0; i < 4; i++) await act(async () => await new Promise((resolve) => setTimeout(resolve, 0)));
}

const q = <T extends HTMLElement = HTMLElement>(testId: string) =>
  container.querySelector<T>(`[data-testid=${testId}]`);

function change(element: HTMLInputElement | HTMLSelectElement | null, value: string, type: 'input' | 'change') {
  if (!element) throw new Error('no such element');
  element.value = value;
  act(() => void element.dispatchEvent(new Event(type, { bubbles: true })));
}

describe('ScenarioEditor', () => {
  it("offers the described object's fields by label, suggests a method by type, and saves the scenario", async () => {
    fieldsAnswer = () =>
      succeeded({
        object: 'Lead',
        fields: [field('Phone', { label: 'Phone', type: 'phone' }), field('Email', { label: 'Email', type: 'email' })],
      });
    const onCreated = vi.fn();
    act(() =>
      render(
        <ScenarioEditor connectionId="c-1" object="Lead-Contact" onCreated={onCreated} onCancel={vi.fn()} />,
        container,
      ),
    );
    await settle();
    // Lead against Contact is described from the Lead.
    expect(described).toEqual(['Lead']);
    const options = [...container.querySelectorAll('[data-testid=dc-rule-field] option')].map((o) => o.textContent);
    expect(options).toEqual(['Pick a field…', 'Email (Email)', 'Phone (Phone)']);

    change(q<HTMLSelectElement>('dc-rule-field'), 'Phone', 'change');
    expect(q<HTMLSelectElement>('dc-rule-method')?.value).toBe('phone');

    act(() => q('dc-save-scenario')?.click());
    expect(container.querySelector('#dc-scenario-name-error')?.textContent).toMatch(/Give the scenario a name/);
    expect(q('dc-scenario-name')?.getAttribute('aria-describedby')).toBe('dc-scenario-name-error');
    expect(created).toEqual([]);

    change(q<HTMLInputElement>('dc-scenario-name'), 'Leads by phone', 'input');
    act(() => q('dc-save-scenario')?.click());
    await settle();
    expect(created).toEqual([
      {
        name: 'Leads by phone',
        object: 'Lead-Contact',
        threshold: 75,
        rules: [{ field: 'Phone', method: 'phone', weight: 10 }],
      },
    ]);
    expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ id: 'sc-new' }));
  });

  it("shows why the object's fields could not be read, in the server's words", async () => {
    fieldsAnswer = () => failed(404, 'CRM_OBJECT_NOT_FOUND', 'The org has no object Account. Pick another object.');
    act(() =>
      render(<ScenarioEditor connectionId="c-1" object="Account" onCreated={vi.fn()} onCancel={vi.fn()} />, container),
    );
    await settle();
    expect(q('dc-scenario-fields-error')?.textContent).toBe('The org has no object Account. Pick another object.');
    expect(q('dc-scenario-rows')).toBeNull();
  });
});
