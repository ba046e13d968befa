import { ref, shallowRef } from 'vue'
import { listProjects } from '@/api/projects'

/** A project picker's options: the first 20 projects the caller may see whose code or name matches what is typed. */
export function useProjectSearch() {
  const options = shallowRef<{ id: number; label: string }[]>([])
  const searching = ref(false)
  async function search(q: string) {
    searching.value = true
    try {
      const r = await listProjects({ q: q || undefined, page: 1, page_size: 20 })
      options.value = r.items.map((p) => ({ id: p.id, label: `${p.code} ${p.name}` }))
    } catch {
      options.value = []
    } finally {
      searching.value = false
    }
  }
  return { options, searching, search }
}
