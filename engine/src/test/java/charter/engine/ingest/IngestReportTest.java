package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestReportTest {

    @Test
    void perDeliveryGivesEachLabelItsOwnEntriesAndTheNotesOfTheWholeRun() {
        IngestReport.Warning note = new IngestReport.Warning(null, "signatures of github deliveries were not verified");
        IngestReport report = new IngestReport(
                List.of(new IngestReport.Accepted("a", "d-1", "github:d-1", "github.push", 10),
                        new IngestReport.Accepted("b", "d-2", "github:d-2", "github.push", 10)),
                List.of(new IngestReport.Duplicate("c", "d-1", true)),
                List.of(new IngestReport.Rejection("d", "malformed_json", "line 1")),
                List.of(note, new IngestReport.Warning("b", "unknown field")));

        Map<String, IngestReport> each = report.perDelivery();
        assertEquals(4, each.size());
        assertEquals(List.of(report.accepted().get(0)), each.get("a").accepted());
        assertEquals(List.of(note), each.get("a").warnings());
        assertEquals(List.of(note, report.warnings().get(1)), each.get("b").warnings());
        assertEquals(report.duplicates(), each.get("c").duplicates());
        assertEquals(List.of(), each.get("c").accepted());
        assertEquals(report.rejected(), each.get("d").rejected());
        assertEquals(1, each.get("d").total());
    }
}
