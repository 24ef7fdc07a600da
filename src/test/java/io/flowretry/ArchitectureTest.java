package io.flowretry;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.flowretry.platform.control.AppDataSource;
import jakarta.annotation.Resource;
import javax.sql.DataSource;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rules of docs/architecture.md, checked on the compiled classes: no cycle between
 * business areas ({@code io.flowretry.<area>}), entity never calls control, control never calls
 * boundary (entry points such as timers, the demo's start-up and the resync job's listener and
 * reader live in boundary; exceptions and field errors in the kernel), the web layer never calls
 * control (the console calls the areas' facades and reads their entity and kernel types).
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.flowretry");
    }

    @Test
    void areas_form_no_cycle() {
        slices().matching("io.flowretry.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void entity_never_calls_control() {
        noClasses().that().resideInAPackage("..entity..").should().dependOnClassesThat().resideInAPackage("..control..").check(classes);
    }

    @Test
    void control_never_calls_boundary() {
        noClasses().that().resideInAPackage("..control..")
                .should().dependOnClassesThat().resideInAPackage("..boundary..").check(classes);
    }

    @Test
    void web_never_calls_control() {
        noClasses().that().resideInAPackage("io.flowretry.web..")
                .should().dependOnClassesThat().resideInAPackage("..control..").check(classes);
    }

    /** A server's own JNDI name deploys on that server only (WildFly resolves a bare name under java:comp/env). */
    @Test
    void the_applications_database_is_looked_up_by_its_one_portable_name() {
        fields().that().areAnnotatedWith(Resource.class).and().haveRawType(DataSource.class)
                .should(new ArchCondition<JavaField>("look up " + AppDataSource.NAME) {
                    @Override
                    public void check(JavaField field, ConditionEvents events) {
                        var lookup = field.getAnnotationOfType(Resource.class).lookup();
                        if (!lookup.equals(AppDataSource.NAME) && !lookup.equals("jdbc/batch-repository")) {
                            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " looks up " + lookup));
                        }
                    }
                }).check(classes);
    }
}
