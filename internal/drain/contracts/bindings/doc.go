// Package bindings holds the abigen (v2) Go bindings for the DRAIN channel
// contract and the 6-decimal test token, generated from ../artifacts by
// `make contracts` (tools/contracts/gen.sh). Do not edit the generated
// files; change ../sol and regenerate.
package bindings
