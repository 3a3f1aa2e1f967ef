package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/subnetkit/subnetkit/internal/engram/protocol"
)

func newCIDCmd(e *env) *cobra.Command {
	var embFile, metadata, modelVersion string
	cmd := &cobra.Command{
		Use:   "cid",
		Short: "Print the Engram CID of an embedding and its metadata",
		Long: `Print the Engram CID (v1::<sha256>) of a 384-number embedding, its metadata
and model version, exactly as a miner computes it. --embedding names a file
holding a JSON array of 384 numbers ("-" reads standard input).`,
		Example: `  engram cid --embedding vec.json --metadata '{"source":"arxiv"}'`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var raw []byte
			var err error
			switch embFile {
			case "":
				return fmt.Errorf("--embedding is required")
			case "-":
				raw, err = io.ReadAll(cmd.InOrStdin())
			default:
				raw, err = os.ReadFile(embFile)
			}
			if err != nil {
				return fmt.Errorf("read embedding: %w", err)
			}
			body, _ := json.Marshal(map[string]json.RawMessage{
				"raw_embedding": raw, "metadata": json.RawMessage(metadata),
				"model_version": mustJSON(modelVersion),
			})
			if !json.Valid([]byte(metadata)) || !json.Valid(raw) {
				return fmt.Errorf("--embedding file and --metadata must be valid JSON")
			}
			req, err := protocol.DecodeIngest(body)
			if err != nil {
				return err
			}
			cid, err := protocol.CID(req.RawEmbedding, req.Metadata, req.ModelVersion)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, cid)
			return nil
		},
	}
	cmd.Flags().StringVar(&embFile, "embedding", "", "file with a JSON array of 384 numbers, or - for stdin")
	cmd.Flags().StringVar(&metadata, "metadata", "{}", "metadata JSON object")
	cmd.Flags().StringVar(&modelVersion, "model-version", protocol.ModelVersion, "model version")
	flagEnv(cmd, "embedding", "ENGRAM_CID_EMBEDDING")
	flagEnv(cmd, "metadata", "ENGRAM_CID_METADATA")
	flagEnv(cmd, "model-version", "ENGRAM_MODEL_VERSION")
	return cmd
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
