package io.afd.orchestrator.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.afd.orchestrator.RoundRecord;
import io.afd.orchestrator.mapping.Views.ExperimentView;
import io.afd.orchestrator.mapping.Views.RoundView;
import io.afd.orchestrator.service.ExperimentService;
import io.afd.orchestrator.service.RoundDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the console's live view shows of an experiment at one moment: the experiment and its rounds, as JSON. */
@ApplicationScoped
public class Snapshots {
    private final ExperimentService experiments;
    private final RoundDriver driver;
    private final ObjectMapper json;

    public Snapshots(ExperimentService experiments, RoundDriver driver, ObjectMapper json) {
        this.experiments = experiments;
        this.driver = driver;
        this.json = json;
    }

    /** {@code {"experiment": ExperimentView, "rounds": [RoundView]}}; a 404 for an unknown experiment. */
    @Transactional
    public String of(String id) {
        var e = experiments.get(id);
        List<RoundView> rounds =
                RoundRecord.ofExperiment(id).stream().map(RoundView::of).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", ExperimentView.of(e, driver.step(e.id)));
        m.put("rounds", rounds);
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
