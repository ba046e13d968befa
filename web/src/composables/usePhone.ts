import { onBeforeUnmount, ref } from 'vue'

export const PHONE_QUERY = '(max-width: 767px)'

/** True on a phone-width screen (the layout's own breakpoint); follows rotation and resizing. */
export function usePhone() {
  const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(PHONE_QUERY) : null
  const phone = ref(mq?.matches ?? false)
  const update = (e: MediaQueryListEvent) => (phone.value = e.matches)
  mq?.addEventListener?.('change', update)
  onBeforeUnmount(() => mq?.removeEventListener?.('change', update))
  return phone
}
