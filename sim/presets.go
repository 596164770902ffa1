package sim

import "inferplay/sim/hw"

// The presets the engine runs on live in package hw; these names keep them
// at hand for users of the engine.

type (
	GPU         = hw.GPU
	Model       = hw.Model
	Precision   = hw.Precision
	ConfigError = hw.ConfigError
)

// Byte sizes, in decimal units as spec sheets quote them.
const (
	KB = hw.KB
	MB = hw.MB
	GB = hw.GB
	TB = hw.TB
)

// KVBytesPerElement is the size of one cached key or value element.
const KVBytesPerElement = hw.KVBytesPerElement

// GPUs returns every GPU preset, sorted by ID.
func GPUs() []GPU { return hw.GPUs() }

// LookupGPU finds a GPU preset by ID.
func LookupGPU(id string) (GPU, error) { return hw.LookupGPU(id) }

// Models returns every model preset, sorted by ID.
func Models() []Model { return hw.Models() }

// LookupModel finds a model preset by ID.
func LookupModel(id string) (Model, error) { return hw.LookupModel(id) }

// Precisions returns every weight precision.
func Precisions() []Precision { return hw.Precisions() }

// LookupPrecision finds a precision by ID.
func LookupPrecision(id string) (Precision, error) { return hw.LookupPrecision(id) }

// FormatBytes renders a byte count the way the UI and CLI print sizes.
func FormatBytes(b int64) string { return hw.FormatBytes(b) }

// FormatKiB renders a per-token KV size in binary units.
func FormatKiB(b int64) string { return hw.FormatKiB(b) }

func unknown(field, value string, valid []string) error { return hw.Unknown(field, value, valid) }

func invalid(field string, value any, valid string) error { return hw.Invalid(field, value, valid) }
