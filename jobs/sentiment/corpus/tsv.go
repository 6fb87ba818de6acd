package corpus

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// readTSV calls row for each line of a tab-separated label file with
// exactly cols fields (layout names them for the error message); blank
// lines and '#' comments are skipped. Errors name the file's kind (what)
// and the line.
func readTSV(path, what string, cols int, layout string, row func(parts []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("corpus: read %s: %w", what, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != cols {
			return fmt.Errorf("corpus: read %s: line %d: want %s", what, n, layout)
		}
		if err := row(parts); err != nil {
			return fmt.Errorf("corpus: read %s: line %d: %w", what, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("corpus: read %s: %w", what, err)
	}
	return nil
}
