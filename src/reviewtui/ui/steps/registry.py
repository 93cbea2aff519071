"""Which screen shows which step: imported when the first step is shown, not when the app starts."""

from __future__ import annotations

from .agenda import AgendaStep, ReviewAgendaStep
from .agree import AgreeStep
from .base import StepScreen
from .checkin import ActionsStep, ActualsStep, PlanChangesStep, RecordStep
from .development import CheckinDevelopmentStep, DevelopmentStep
from .entries import AccomplishmentsStep, ContextStep, ExamplesStep, FeedbackStep
from .impact import ImpactMapStep
from .metrics import MetricsStep
from .participants import ParticipantsStep
from .review_sections import CompetenciesStep, ReadingStep, RecapStep, ResultsStep, SignOffStep
from .targets import TargetsStep

STEP_SCREENS: dict[str, type[StepScreen]] = {
    screen.KEY: screen
    for screen in (
        ParticipantsStep,
        ImpactMapStep,
        MetricsStep,
        TargetsStep,
        AgreeStep,
        RecapStep,
        ResultsStep,
        FeedbackStep,
        ContextStep,
        ExamplesStep,
        CompetenciesStep,
        AccomplishmentsStep,
        DevelopmentStep,
        ReadingStep,
        SignOffStep,
        AgendaStep,
        ReviewAgendaStep,
        ActualsStep,
        PlanChangesStep,
        CheckinDevelopmentStep,
        ActionsStep,
        RecordStep,
    )
}
