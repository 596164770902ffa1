package hw

// Precision is the numeric format the weights are stored in.
type Precision struct {
	ID             string
	BytesPerWeight float64
	Description    string
}

var precisions = []Precision{
	{ID: "fp16", BytesPerWeight: 2, Description: "16-bit floating point (FP16/BF16), the unquantized baseline"},
	{ID: "fp8", BytesPerWeight: 1, Description: "8-bit floating point weights, as served on Hopper-class GPUs"},
	{ID: "int4", BytesPerWeight: 0.5, Description: "4-bit integer weights (AWQ/GPTQ-style quantization)"},
}

// PrecisionCatalog holds the weight precisions.
var PrecisionCatalog = Catalog[Precision]{Field: "precision", Items: precisions, ID: func(p Precision) string { return p.ID }}

// Precisions returns every weight precision.
func Precisions() []Precision { return PrecisionCatalog.All() }

// LookupPrecision finds a precision by ID.
func LookupPrecision(id string) (Precision, error) { return PrecisionCatalog.Lookup(id) }
