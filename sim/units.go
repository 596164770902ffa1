package sim

import "fmt"

// Byte sizes. Spec sheets quote memory in decimal gigabytes (an "80 GB" H100
// has 80e9 bytes of HBM for our purposes), so the simulator uses decimal GB
// throughout and says so wherever it prints a size.
const (
	KB = 1e3
	MB = 1e6
	GB = 1e9
	TB = 1e12
)

// FormatBytes renders a byte count the way the UI and CLI print sizes.
func FormatBytes(b int64) string {
	switch {
	case b >= 100*GB:
		return fmt.Sprintf("%.0f GB", float64(b)/GB)
	case b >= GB:
		return fmt.Sprintf("%.2f GB", float64(b)/GB)
	case b >= MB:
		return fmt.Sprintf("%.1f MB", float64(b)/MB)
	case b >= KB:
		return fmt.Sprintf("%.1f KB", float64(b)/KB)
	}
	return fmt.Sprintf("%d B", b)
}
