"""The domain: entities, the plan store, PlanService and the rules. No Qt, no reportlab."""
