// Package hw holds the facts the simulator starts from: GPU presets with
// their datasheet figures and serving efficiencies, model shapes, weight
// precisions, the catalogs that find them by ID, and the byte units the
// simulator prints sizes in. It knows nothing of the engine.
package hw
