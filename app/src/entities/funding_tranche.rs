use sea_orm::entity::prelude::*;

/// Money actually in place for a project, as it arrives; amount in yuan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding_tranche")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub amount: i64,
    pub received_on: Date,
    /// The member (user id) who entered it; `None` for a tranche of before verification.
    pub entered_by: Option<i32>,
    /// The member (user id) who checked it against its proof, another than `entered_by`.
    pub verified_by: Option<i32>,
    pub verified_at: Option<DateTimeUtc>,
    /// The proof file's kind, size in bytes and name under the files folder.
    pub proof_kind: Option<crate::domain::ProofKind>,
    pub proof_size: Option<i64>,
    pub proof_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
