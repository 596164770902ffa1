// Command infersim runs an Inference Playground simulation without a window
// and prints its metrics as a table or as JSON.
//
//	infersim -scenario mixed -scheduler mlfq -seed 7 -format json
//
// Run infersim -h for every flag.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
