// Package audit judges a fleet: each rule is a small pure function in its
// own file that turns inventory facts into findings, each with a stable
// CamelCase reason and a message that tells the operator what to do.
package audit
