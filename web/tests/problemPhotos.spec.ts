import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { makeI18n } from '@/locales'
import { useAuthStore } from '@/stores/auth'
import type { Photo } from '@/api/photos'
import type { ProblemEvent } from '@/api/types'

const calls: { kind: string; ref: string | number; phase: string | undefined }[] = []
vi.mock('@/api/photos', () => ({
  listPhotos: vi.fn(async () => ({ items: [photo(1, 'before', '2024-03-01T02:00:00Z'), photo(2, '', '2024-03-20T02:00:00Z'), photo(3, 'after', '2024-03-02T02:00:00Z')] })),
  uploadPhoto: vi.fn(async (_p: number, kind: string, ref: string | number, _f: Blob, opts: { phase?: string }) => {
    calls.push({ kind, ref, phase: opts.phase })
    return { ...photo(9, (opts.phase ?? '') as Photo['phase'], '2024-03-21T02:00:00Z'), added: true }
  }),
  deletePhoto: vi.fn(),
  getGallery: vi.fn(),
}))

// imported after the mock
const { firstAnswerAt, photoPhaseOf, problemPhotoGroups, usePhotoStrip } = await import('@/composables/usePhotos')

function photo(id: number, phase: Photo['phase'], uploaded_at: string): Photo {
  return { id, sha256: String(id), project_id: 7, kind: 'problem', ref: '12', caption: '', phase, mime: 'image/jpeg', width: 1, height: 1, bytes: 1, taken_at: null, gps: null, uploaded_by: 'dept', uploaded_at, url: '', thumb: '' }
}
const event = (action: string, at: string): ProblemEvent => ({ action, at, on: at.slice(0, 10), by: 'x', from_state: null, to_state: null, note: '' })

describe('整改前 and 整改后', () => {
  it('takes the first answer as the turn, not a later one after a return', () => {
    const events = [event('raise', '2024-03-01T01:00:00Z'), event('answer', '2024-03-10T08:00:00Z'), event('return', '2024-03-11T08:00:00Z'), event('answer', '2024-03-15T08:00:00Z')]
    expect(firstAnswerAt({ events })).toBe('2024-03-10T08:00:00Z')
    expect(firstAnswerAt({ events: events.slice(0, 1) })).toBeNull()
  })
  it('places a photo by its own phase, whatever its time', () => {
    expect(photoPhaseOf(photo(1, 'after', '2024-01-01T00:00:00Z'), '2024-03-10T08:00:00Z')).toBe('after')
    expect(photoPhaseOf(photo(1, 'before', '2024-12-01T00:00:00Z'), '2024-03-10T08:00:00Z')).toBe('before')
  })
  it('places a photo without a phase by the first answer: at or after it is 整改后', () => {
    const answered = '2024-03-10T08:00:00Z'
    expect(photoPhaseOf(photo(1, '', '2024-03-10T07:59:59Z'), answered)).toBe('before')
    expect(photoPhaseOf(photo(1, '', '2024-03-10T08:00:00Z'), answered)).toBe('after')
    expect(photoPhaseOf(photo(1, '', '2024-03-11T00:00:00Z'), answered)).toBe('after')
    expect(photoPhaseOf(photo(1, '', '2024-03-11T00:00:00Z'), null)).toBe('before')
  })
  it('takes 整改后 photos once the problem is given to a unit, and none once it is closed', () => {
    expect(problemPhotoGroups('pending')).toEqual({ before: true, after: false })
    expect(problemPhotoGroups('working')).toEqual({ before: true, after: true })
    expect(problemPhotoGroups('answered')).toEqual({ before: true, after: true })
    expect(problemPhotoGroups('closed')).toEqual({ before: false, after: false })
  })
})

describe('a problem photo strip', () => {
  afterEach(() => {
    calls.length = 0
  })
  it('shows its phase only and uploads with it', async () => {
    setActivePinia(createPinia())
    useAuthStore().setSession({ id: 2, login: 'dept', display_name: '', role: 'department' }, 'csrf')
    const answered = '2024-03-15T00:00:00Z'
    let s!: ReturnType<typeof usePhotoStrip>
    const C = defineComponent({
      setup() {
        s = usePhotoStrip({ projectId: 7, kind: 'problem', refId: 12, phase: 'after', pick: (p) => photoPhaseOf(p, answered) === 'after' })
        return () => h('div')
      },
    })
    const m = mount(C, { global: { plugins: [makeI18n('zh-CN')] } })
    await s.load()
    expect(s.items.value.map((p) => p.id)).toEqual([1, 2, 3])
    expect(s.shown.value.map((p) => p.id)).toEqual([2, 3]) // 2: no phase, uploaded after the answer
    expect(s.canUpload.value).toBe(true)
    await s.upload([new File([new Uint8Array([0xff, 0xd8])], 'fix.jpg', { type: 'image/jpeg' })])
    await flushPromises()
    expect(calls).toEqual([{ kind: 'problem', ref: 12, phase: 'after' }])
    expect(s.shown.value.map((p) => p.id)).toEqual([2, 3, 9])
    m.unmount()
  })
})
