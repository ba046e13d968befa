import { ref, shallowRef, watch, type Ref } from 'vue'
import { getRedBlack, getRedBlackRule, type RedBlackEntry, type RedBlackList, type RedBlackRule } from '@/api/redblack'
import { parseMonthKey } from './format'
import { useErrorText } from './useErrorText'

export type RedBlackBy = 'region' | 'unit' | 'project'

/** The 红黑榜 of the month and levels the statistics page shows; the lists are the server's (rule in the settings). */
export function useRedBlack(levels: Ref<string[]>, month: Ref<string>) {
  const errorText = useErrorText()
  const by = ref<RedBlackBy>('region')
  const data = shallowRef<RedBlackList | null>(null)
  const rule = shallowRef<RedBlackRule | null>(null)
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  async function load() {
    const m = parseMonthKey(month.value)
    if (!m) return
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const res = await getRedBlack({ by: by.value, levels: levels.value, year: m.year, month: m.month })
      if (mine === seq) data.value = res
    } catch (e) {
      if (mine === seq) {
        error.value = errorText(e)
        data.value = null
      }
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function start() {
    watch([by, levels, month], () => void load(), { deep: true })
    getRedBlackRule().then((r) => { rule.value = r }, () => { rule.value = null })
    return load()
  }

  /** A project shows its name after its code; townships and units their name. */
  const name = (e: Pick<RedBlackEntry, 'key' | 'label'>) => (e.label ? `${e.label}（${e.key}）` : e.key)

  return { by, data, rule, loading, error, load, start, name }
}
