// Package cliout renders what the engine found for people and scripts:
// findings tables, one-line progress, before/after tables and a JSON
// report. It prints numbers it is given and invents none.
package cliout
