use sea_orm::entity::prelude::*;

use crate::domain::ApiScope;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    /// What the owner called it ("Provincial portal").
    pub name: String,
    /// The token's first characters, shown in the list to tell tokens apart.
    pub prefix: String,
    /// SHA-256 of the token: a leaked table grants no access.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub scope: ApiScope,
    /// The owner who created it; the token stops working when they leave the organization.
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::CreatedBy", to = "super::user::Column::Id")]
    Creator,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Creator.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
