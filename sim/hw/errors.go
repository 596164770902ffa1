package hw

import (
	"fmt"
	"strings"
)

// ConfigError names a configuration field, the value it was given, and what
// would be valid. Its message is one line, fit to show a user as is.
type ConfigError struct {
	Field string
	Value string
	Valid string
}

func (e *ConfigError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Valid)
	}
	return fmt.Sprintf("%s: %s is not valid (%s)", e.Field, e.Value, e.Valid)
}

// Unknown is the error for a value that names no preset.
func Unknown(field, value string, valid []string) error {
	return &ConfigError{Field: field, Value: fmt.Sprintf("%q", value), Valid: "valid: " + strings.Join(valid, ", ")}
}

// Invalid is the error for a value out of its valid range.
func Invalid(field string, value any, valid string) error {
	return &ConfigError{Field: field, Value: fmt.Sprint(value), Valid: valid}
}
