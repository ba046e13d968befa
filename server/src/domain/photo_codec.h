#pragma once
// The one place that calls the image libraries: libvips (decoding JPEG, PNG, WebP and, through
// libheif, HEIC; orientation; thumbnails) and libexif (camera time and GPS). No image code of
// our own: this file sniffs the first bytes, asks the libraries, and hands back plain values.
// Thread-safety: every function may be called from several threads at once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kp {

struct PhotoInfo {
  std::string mime;  // image/jpeg image/png image/heic image/webp
  int width = 0;     // as displayed: EXIF orientation applied
  int height = 0;
  std::optional<std::string> taken_at;    // EXIF DateTimeOriginal (else DateTime), "YYYY-MM-DDTHH:MM:SS"
  std::optional<int64_t> lat_e6, lon_e6;  // EXIF GPS, millionths of a degree, north and east positive
};

struct ProcessedPhoto {
  PhotoInfo info;
  std::string thumb_jpeg;  // the thumbnail: upright, at most thumb_size on its longer side, no metadata
};

// The type the bytes say they are (magic numbers, never a name), or nullopt.
std::optional<std::string> SniffPhotoType(std::string_view bytes);

// Checks that bytes are a whole image of a supported type with at most max_pixels pixels, reads its
// EXIF and makes its thumbnail (which decodes every pixel, so a truncated or corrupt file fails
// here). Errors are kInvalidArgument with a message for the user (field "file").
Result<ProcessedPhoto> ProcessPhoto(std::string_view bytes, int64_t max_pixels, int thumb_size);

// The EXIF time and GPS of a photo's EXIF block (as libexif reads it; "Exif\0\0" header or a JPEG).
void ReadExif(std::string_view exif, PhotoInfo& into);

// A test, bench and demo helper: a simple building-site picture drawn by libvips, saved as
// `format` (jpeg, png, webp, heic); a JPEG carries EXIF DateTimeOriginal, GPS and orientation
// when given (written with libexif).
struct SyntheticPhoto {
  int width = 640;
  int height = 480;
  std::string format = "jpeg";
  int quality = 85;
  std::optional<std::string> taken_at;  // "YYYY-MM-DDTHH:MM:SS"
  std::optional<double> lat, lon;
  int orientation = 1;
  bool noise = false;  // fill with noise (a large file, like a real photo's)
  int seed = 0;        // varies the picture
};
Result<std::string> MakeSyntheticPhoto(const SyntheticPhoto& spec);

}  // namespace kp
