package sweep

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
)

// WriteCSV writes a row per run: the knob and its value, the policy, the
// seed, every metric (empty where a run measured nothing) and why a run
// stopped early, if it did.
func WriteCSV(w io.Writer, p Plan, runs []Run) error {
	cw := csv.NewWriter(w)
	head := []string{"knob", "value", "policy", "seed"}
	for _, m := range Metrics() {
		head = append(head, m.Name)
	}
	head = append(head, "stuck")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range runs {
		row := []string{p.Knob.Name, r.Value.Text, r.Policy, strconv.FormatUint(r.Seed, 10)}
		for _, m := range Metrics() {
			row = append(row, formatMetric(m.Value(r.Result)))
		}
		row = append(row, r.Stuck)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatMetric writes the shortest text that reads back as the same
// number, so that the CSV is exact.
func formatMetric(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
