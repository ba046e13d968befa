import { ref, watch } from 'vue'

export interface ColumnDef {
  key: string
  label: string
  /** shown unless the user hid it */
  default?: boolean
  /** cannot be hidden */
  fixed?: boolean
}

/** Which table columns the user shows; remembered in this browser. */
export function useColumns(storageKey: string, columns: ColumnDef[]) {
  const defaults = columns.filter((c) => c.default !== false || c.fixed).map((c) => c.key)
  let saved: string[] | null = null
  try {
    const raw = localStorage.getItem(storageKey)
    saved = raw ? (JSON.parse(raw) as string[]) : null
  } catch {
    saved = null
  }
  const visible = ref<string[]>(
    Array.isArray(saved) ? [...new Set([...saved.filter((k) => columns.some((c) => c.key === k)), ...columns.filter((c) => c.fixed).map((c) => c.key)])] : defaults,
  )
  watch(
    visible,
    (v) => {
      try {
        localStorage.setItem(storageKey, JSON.stringify(v))
      } catch {
        /* no storage */
      }
    },
    { deep: true },
  )
  const shown = (key: string) => visible.value.includes(key)
  const restore = () => (visible.value = [...defaults])
  return { columns, visible, shown, restore }
}
