import type { CrmField } from '@orglink/shared';
import { useId, useState } from 'preact/hooks';
import { fieldLabel, searchFields } from './catalog-widget-model.ts';

interface Props {
  fields: CrmField[];
  value: CrmField | undefined;
  label: string;
  disabled: boolean;
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (field: CrmField) => void;
}

/**
 * A searchable CRM field picker (WAI-ARIA combobox with a list box): type part of a name or label, arrow keys move,
 * Enter picks, Escape closes. Objects have hundreds of fields, which a plain select makes hard to find.
 */
export function CrmFieldPicker({ fields, value, label, disabled, invalid, describedBy, onChange }: Props) {
  const [query, setQuery] = useState<string>();
  const [active, setActive] = useState(0);
  const listId = useId();
  const open = query !== undefined;
  const matches = open ? searchFields(fields, query) : [];

  const pick = (field: CrmField | undefined) => {
    if (field) onChange(field);
    setQuery(undefined);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        setQuery('');
        setActive(0);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => Math.min(Math.max(current + step, 0), Math.max(matches.length - 1, 0)));
    } else if (event.key === 'Enter' && open) {
      event.preventDefault();
      pick(matches[active]);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setQuery(undefined);
    }
  };

  return (
    <div class="ol-cw__picker">
      <input
        type="text"
        role="combobox"
        aria-label={label}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={describedBy}
        readOnly={disabled}
        placeholder="Search CRM fields…"
        value={open ? query : value ? fieldLabel(value) : ''}
        onFocus={() => {
          if (!disabled) setQuery(undefined);
        }}
        onInput={(event) => {
          if (disabled) return;
          setQuery(event.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={disabled ? undefined : onKeyDown}
        onBlur={() => setQuery(undefined)}
        data-testid="orglink-field-picker"
      />
      {open && (
        <div id={listId} role="listbox" aria-label={label} class="ol-cw__listbox">
          {matches.length === 0 && (
            <div class="ol-cw__option ol-cw__option--none">No writable field matches “{query}”.</div>
          )}
          {matches.map((field, index) => (
            <div
              key={field.name}
              tabIndex={-1}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              class={`ol-cw__option${index === active ? ' ol-cw__option--active' : ''}`}
              // mousedown, not click: it comes before the input's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                pick(field);
              }}
              data-testid="orglink-field-option"
              data-field={field.name}
            >
              {fieldLabel(field)} <span class="ol-cw__muted">{field.type}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
