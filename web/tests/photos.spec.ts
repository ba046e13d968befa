import { describe, expect, it } from 'vitest'
import { formatBytes, formatGps, formatTaken, showsOriginal } from '@/composables/usePhotos'
import type { Photo } from '@/api/photos'

describe('photo metadata as shown', () => {
  it('shows GPS with hemispheres and six decimals', () => {
    expect(formatGps({ lat: 31.0339, lon: 104.6785 })).toBe('31.033900° N, 104.678500° E')
    expect(formatGps({ lat: -33.8688, lon: -70.5 })).toBe('33.868800° S, 70.500000° W')
    expect(formatGps(null)).toBe('')
  })
  it('shows sizes in KB below a megabyte', () => {
    expect(formatBytes(7707)).toBe('7.5 KB')
    expect(formatBytes(8 * 1048576 + 200000)).toBe('8.2 MB')
  })
  it('shows the camera time to the minute', () => {
    expect(formatTaken('2024-03-18T14:05:59')).toBe('2024-03-18 14:05')
    expect(formatTaken(null)).toBe('')
  })
  it('shows a HEIC original as its thumbnail (browsers cannot decode it)', () => {
    expect(showsOriginal({ mime: 'image/heic' } as Photo)).toBe(false)
    expect(showsOriginal({ mime: 'image/jpeg' } as Photo)).toBe(true)
  })
})
