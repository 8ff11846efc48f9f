import type { ObjectFieldsState } from './use-object-fields.ts';

/** Objects most activities are about; any other API name can be typed (the list is a shortcut, not a limit). */
export const COMMON_OBJECTS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'Case',
  'User',
  'Campaign',
  'Task',
  'Event',
  'Product2',
] as const;

interface Props {
  value: string;
  onCommit: (object: string) => void;
  fields: ObjectFieldsState;
}

/**
 * A searchable object name: the browser's own suggestion list (datalist) filters the common objects as the admin
 * types, and any API name is accepted. The name is checked by loading its fields when the admin leaves the box.
 */
export function ObjectPicker({ value, onCommit, fields }: Props) {
  const commit = (event: Event) => onCommit((event.currentTarget as HTMLInputElement).value.trim());
  const failed = fields.phase === 'failed';
  return (
    <label class="ol-field">
      <span class="ol-field__label">Object</span>
      <input
        type="text"
        list="common-objects"
        defaultValue={value}
        placeholder="Contact, Account, Course__c…"
        autocomplete="off"
        spellcheck={false}
        aria-invalid={failed ? 'true' : undefined}
        aria-describedby="object-feedback"
        onChange={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit(event);
        }}
        data-testid="object-input"
      />
      <datalist id="common-objects">
        {COMMON_OBJECTS.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <span id="object-feedback" data-testid="object-feedback" role={failed ? 'alert' : 'status'}>
        {fields.phase === 'loading' && <span class="ol-notice">Loading the fields of {fields.object}…</span>}
        {fields.phase === 'ready' && (
          <span class="ol-notice">
            {fields.object}: {fields.fields.length} fields
          </span>
        )}
        {fields.phase === 'failed' && <span class="ol-field-error">{fields.message}</span>}
      </span>
    </label>
  );
}
