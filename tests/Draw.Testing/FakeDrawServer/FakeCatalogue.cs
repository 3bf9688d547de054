namespace Draw.Testing.FakeDraw;

/// <summary>A small models catalogue in the shape GET /api/models/ answers (fields the client reads, plus a few it ignores).</summary>
public static class FakeCatalogue
{
    public const string Json = """
        [
          {
            "model_id": 11,
            "model_name": "FakeThorax",
            "model_config": "3d_fullres",
            "model_trainer_name": "nnUNetTrainer",
            "model_postprocess": null,
            "is_active": true,
            "modelmap": [
              { "id": 1101, "mapid": 1, "map_tg263_primary_name": "Heart", "Major_Category": "Organ", "Anatomic_Group": "Thorax", "Description": "Heart", "delineation_modality": "CT", "median_dice_score": 0.93 },
              { "id": 1102, "mapid": 2, "map_tg263_primary_name": "Lung_L", "Major_Category": "Organ", "Anatomic_Group": "Thorax", "Description": "Left lung", "delineation_modality": "CT", "median_dice_score": 0.97 },
              { "id": 1103, "mapid": 3, "map_tg263_primary_name": "Lung_R", "Major_Category": "Organ", "Anatomic_Group": "Thorax", "Description": "Right lung", "delineation_modality": "CT", "median_dice_score": 0.97 },
              { "id": 1104, "mapid": 4, "map_tg263_primary_name": "SpinalCord", "Major_Category": "Organ", "Anatomic_Group": "Thorax", "Description": "Spinal cord", "delineation_modality": "CT", "median_dice_score": 0.88 }
            ]
          },
          {
            "model_id": 12,
            "model_name": "FakePelvis",
            "model_config": "3d_fullres",
            "model_trainer_name": "nnUNetTrainer",
            "model_postprocess": "largest_component",
            "is_active": true,
            "modelmap": [
              { "id": 1201, "mapid": 1, "map_tg263_primary_name": "Bladder", "Major_Category": "Organ", "Anatomic_Group": "Pelvis", "Description": "Urinary bladder", "delineation_modality": "CT", "median_dice_score": 0.91 },
              { "id": 1202, "mapid": 2, "map_tg263_primary_name": "Rectum", "Major_Category": "Organ", "Anatomic_Group": "Pelvis", "Description": "Rectum", "delineation_modality": "CT", "median_dice_score": 0.84 }
            ]
          }
        ]
        """;
}
